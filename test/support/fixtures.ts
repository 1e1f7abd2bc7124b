import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildRecipeRepo, type RecipeRepo } from '../../harness/fixtures/recipe-repo.ts'
import { commitChange } from './commit-change.ts'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '')
export const FIXTURE_RECIPES = join(REPO_ROOT, 'test', 'fixtures', 'recipes')
export const FIXTURE_CONFIG = join(REPO_ROOT, 'test', 'fixtures', 'config')

/** A fixture recipe turned into a real git repository with its release tags, in a temp folder. */
export async function fixtureRepo(name: string): Promise<RecipeRepo & { cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), `ccci-fixture-${name}-`))
  const repo = await buildRecipeRepo(join(FIXTURE_RECIPES, name), join(dir, name))
  return { ...repo, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export type FixtureRepo = Awaited<ReturnType<typeof fixtureRepo>>

/**
 * Fixture repositories made by one test file, removed together: a fixture recipe built into a
 * tagged repository, with an optional change committed on top (a pull request's head).
 */
export function fixtureRepos(): {
  make: (name: string, change?: Parameters<typeof commitChange>[1]) => Promise<FixtureRepo>
  cleanup: () => void
} {
  const made: FixtureRepo[] = []
  return {
    async make(name, change) {
      const repo = await fixtureRepo(name)
      made.push(repo)
      if (change !== undefined) {
        await commitChange(repo.path, change)
      }
      return repo
    },
    cleanup() {
      for (const repo of made.splice(0)) {
        repo.cleanup()
      }
    },
  }
}
