import { describe, expect, test } from 'vitest'
import { parseAllowlist } from '../../harness/overlays/allowlist.ts'

describe('repo-local-approved.txt', () => {
  test('one recipe per line, comments and blanks ignored', () => {
    const list = parseAllowlist(
      '# approved by the maintainers\nkeycloak\n\n  custom-html   # trailing comment\n',
    )
    expect([...list.approved]).toEqual(['keycloak', 'custom-html'])
    expect(list.rejected).toEqual([])
  })

  test.each([
    ['*'],
    ['custom-*'],
    ['../x'],
    ['recipes/keycloak'],
    ['Keycloak'],
    ['kéycloak'],
    ['key cloak'],
    ['-rf'],
    ['.'],
  ])('%j approves nothing and is reported', (line) => {
    const list = parseAllowlist(`${line}\n`)
    expect(list.approved.size).toBe(0)
    expect(list.rejected).toEqual([{ line: 1, text: line }])
  })

  test('an empty or comment-only file approves nothing (default deny)', () => {
    expect(parseAllowlist('').approved.size).toBe(0)
    expect(parseAllowlist('# nobody yet\n\n').approved.size).toBe(0)
  })
})
