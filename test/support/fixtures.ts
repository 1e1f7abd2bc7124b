import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildRecipeRepo, type RecipeRepo } from '../../harness/fixtures/recipe-repo.ts'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '')
export const FIXTURE_RECIPES = join(REPO_ROOT, 'test', 'fixtures', 'recipes')
export const FIXTURE_CONFIG = join(REPO_ROOT, 'test', 'fixtures', 'config')

/** A fixture recipe turned into a real git repository with its release tags, in a temp folder. */
export async function fixtureRepo(name: string): Promise<RecipeRepo & { cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), `ccci-fixture-${name}-`))
  const repo = await buildRecipeRepo(join(FIXTURE_RECIPES, name), join(dir, name))
  return { ...repo, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
