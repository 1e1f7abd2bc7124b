import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test, vi } from 'vitest'
import { formatPlan } from '../../harness/cli/plan-command.ts'
import { planRecipe } from '../../harness/vitest/recipe-projects.ts'

const work = mkdtempSync(join(tmpdir(), 'ccci-allowlist-'))
// Source caches of these plans go here, not into the machine's state.
vi.stubEnv('CCCI_HOME', join(work, 'home'))
afterAll(() => {
  rmSync(work, { recursive: true, force: true })
  vi.unstubAllEnvs()
})

/** A recipe config folder beside a repo-local-approved.txt with a wildcard and a valid name. */
function recipeFolder(): string {
  const recipes = join(work, 'recipes')
  const dir = join(recipes, 'keycloak')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(recipes, 'repo-local-approved.txt'), '# approved\ncustom-*\nkeycloak\n')
  return dir
}

describe('allowlist lines that approve nothing are shown', () => {
  test('in `ccci plan` output, with the file and line', async () => {
    const dir = recipeFolder()
    const plan = await planRecipe({ name: 'keycloak', dir }, false, {
      src: undefined,
      ref: undefined,
    })
    expect(plan.repoLocalApproved).toBe(true)
    expect(plan.allowlistRejected).toEqual([
      { file: join(work, 'recipes', 'repo-local-approved.txt'), line: 2, text: 'custom-*' },
    ])
    const text = formatPlan(plan, process.cwd())
    expect(text).toContain(
      `allowlist: ${join(work, 'recipes', 'repo-local-approved.txt')}:2: "custom-*" approves nothing`,
    )
  })

  test('as a warning when a run plans the recipe it tests', async () => {
    const dir = recipeFolder()
    const written: string[] = []
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk))
      return true
    })
    try {
      // fetch: the recipe under test (the source fails at once: it does not exist).
      await planRecipe({ name: 'keycloak', dir }, true, {
        src: join(work, 'no-such-source'),
        ref: undefined,
      })
    } finally {
      spy.mockRestore()
    }
    const warnings = written.filter((line) => line.includes('WARN'))
    expect(warnings.join('')).toContain('"custom-*" approves nothing')
  }, 30_000)
})
