import type { AppRef } from '../driver/app-driver.ts'
import { CcciError } from '../errors.ts'
import { checkout, cloneRepo, showFile } from '../git/index.ts'
import type { PreparedSource } from './source.ts'

/** Setup step "check out the code under test": the run's own clone, at the head commit. */
export async function checkoutHead(app: AppRef, source: PreparedSource): Promise<void> {
  await cloneRepo(source.cacheRepo, app.recipeDir)
  await checkout(app.recipeDir, source.commit)
  for (const required of ['compose.yml', '.env.sample']) {
    if ((await showFile(app.recipeDir, source.commit, required)) === undefined) {
      throw new CcciError(
        'CCCI_RECIPE_INVALID',
        `recipe ${app.recipe} at ${source.commit.slice(0, 8)} has no ${required}`,
        {
          hint:
            required === 'compose.yml'
              ? 'a recipe needs compose.yml at its root'
              : 'a recipe needs .env.sample at its root (abra lint R008)',
        },
      )
    }
  }
}
