import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { expect, test } from 'vitest'
import { ERROR_CODES } from '../../harness/error-codes.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const FOLDERS = ['harness', 'tiers', 'generic', 'test', 'bench', 'recipes', 'examples']
const CATALOGUE = 'harness/error-codes.ts'

/** The TypeScript/JavaScript source of the repository, path relative to the root -> text. */
function sources(): Map<string, string> {
  const files = new Map<string, string>()
  const visit = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory() && entry.name !== 'node_modules') {
        visit(path)
      } else if (entry.isFile() && /\.(ts|js|mjs)$/.test(entry.name)) {
        files.set(path, readFileSync(join(ROOT, path), 'utf8'))
      }
    }
  }
  FOLDERS.forEach(visit)
  files.set('vitest.config.ts', readFileSync(join(ROOT, 'vitest.config.ts'), 'utf8'))
  return files
}

/**
 * Names read from the environment (`env.X`, `env['X']`, `stubEnv('X'`), set for a process
 * (an object key `X: value`, e.g. install-steps.sh's environment), or listed
 * in docs/configuration.md.
 */
function environmentVariables(texts: string[]): Set<string> {
  const names = new Set<string>()
  const doc = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8')
  for (const text of [...texts, doc]) {
    const patterns = [/\benv\.([A-Z][A-Z0-9_]*)/g, /(?:\benv\[|stubEnv\()'([A-Z][A-Z0-9_]*)'/g]
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        names.add(match[1] ?? '')
      }
    }
    // Error codes are never object keys outside the catalogue; environment variables are.
    for (const match of text.matchAll(/^\s+((?:CCCI|BENCH)_[A-Z0-9_]*): /gm)) {
      names.add(match[1] ?? '')
    }
  }
  for (const match of doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)) {
    names.add(match[1] ?? '')
  }
  return names
}

/** Quoted `'CCCI_...'`/`'BENCH_...'` strings that are not environment variables: error codes. */
function codesInSource(): Map<string, string[]> {
  const files = sources()
  files.delete(CATALOGUE)
  const variables = environmentVariables([...files.values()])
  const used = new Map<string, string[]>()
  for (const [file, text] of files) {
    for (const match of text.matchAll(/'((?:CCCI|BENCH)_[A-Z0-9_]+)'/g)) {
      const code = match[1] ?? ''
      if (!variables.has(code)) {
        used.set(code, [...(used.get(code) ?? []), relative(ROOT, join(ROOT, file))])
      }
    }
  }
  return used
}

test('every error code used in the source is in harness/error-codes.ts', () => {
  const missing = [...codesInSource()].filter(([code]) => !(code in ERROR_CODES))
  expect(missing.map(([code, files]) => `${code} (${[...new Set(files)].join(', ')})`)).toEqual([])
})

test('every code in harness/error-codes.ts is used in the source', () => {
  const used = codesInSource()
  expect(Object.keys(ERROR_CODES).filter((code) => !used.has(code))).toEqual([])
})

test('the scan finds codes and tells them from environment variables', () => {
  const used = codesInSource()
  expect(used.size).toBeGreaterThan(50)
  const files = sources()
  files.delete(CATALOGUE)
  const variables = environmentVariables([...files.values()])
  expect([...used.keys()].filter((code) => variables.has(code))).toEqual([])
  expect(variables.has('CCCI_DRIVER')).toBe(true)
})

test('every code has a one-line description', () => {
  for (const [code, when] of Object.entries(ERROR_CODES)) {
    expect(when, code).toMatch(/^\S[^\n]*\S$/)
  }
})
