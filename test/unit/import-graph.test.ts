import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { expect, test } from 'vitest'
import { REPO_ROOT } from '../support/fixtures.ts'

const FOLDERS = ['harness', 'tiers', 'generic', 'recipes', 'examples', 'bench', 'test']

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' ? [] : sourceFiles(path)
    }
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** Every relative import and re-export of every TypeScript file, type-only ones included. */
function importGraph(): Map<string, string[]> {
  const files = FOLDERS.flatMap((folder) => sourceFiles(join(REPO_ROOT, folder)))
  const graph = new Map<string, string[]>()
  const specifier = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.\.?\/[^'"]+)['"]/g
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    graph.set(
      file,
      [...text.matchAll(specifier)].map((m) => resolve(dirname(file), m[1] ?? '')),
    )
  }
  return graph
}

/** The cycles of a graph, each as the files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (node: string) => {
    state.set(node, 'open')
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) {
        continue
      }
      if (state.get(next) === 'open') {
        found.push([...stack.slice(stack.indexOf(next)), next])
      } else if (!state.has(next)) {
        visit(next)
      }
    }
    stack.pop()
    state.set(node, 'done')
  }
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      visit(node)
    }
  }
  return found
}

test('no import cycle between files', () => {
  const graph = importGraph()
  expect(graph.size, 'files read').toBeGreaterThan(200)
  expect(
    cycles(graph).map((cycle) => cycle.map((file) => relative(REPO_ROOT, file)).join(' -> ')),
  ).toEqual([])
})

test('the cycle finder finds a cycle', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ])
  expect(cycles(graph)).toEqual([['a', 'b', 'c', 'a']])
})
