import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')
const DOCS = ['docs/writing-a-recipe.md']

/** `<!-- snippet: path -->` followed by a fenced block: the block must be in that file, verbatim. */
function snippets(doc: string): { file: string; code: string }[] {
  const text = readFileSync(join(ROOT, doc), 'utf8')
  const found: { file: string; code: string }[] = []
  const pattern = /<!-- snippet: (\S+) -->\s*```\w*\n([\s\S]*?)```/g
  for (const match of text.matchAll(pattern)) {
    found.push({ file: match[1] ?? '', code: match[2] ?? '' })
  }
  return found
}

describe.each(DOCS)('%s', (doc) => {
  test('has snippets', () => {
    expect(snippets(doc).length).toBeGreaterThan(3)
  })

  test.each(snippets(doc))(
    'the snippet from $file is taken verbatim from that file',
    ({ file, code }) => {
      expect(readFileSync(join(ROOT, file), 'utf8')).toContain(code)
    },
  )
})
