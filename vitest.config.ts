import { join } from 'node:path'
import { defineConfig } from 'vitest/config'
import { loadSettings } from './harness/config/settings.ts'
import { CcciError } from './harness/errors.ts'
import { containerFiles } from './harness/vitest/container-files.ts'
import { PathSequencer } from './harness/vitest/path-sequencer.ts'
import { knownRecipes } from './harness/vitest/recipe-projects.ts'
import { SummaryReporter } from './harness/vitest/summary-reporter.ts'
import { TierReporter } from './harness/vitest/tier-reporter.ts'

/**
 * The contract: `vitest run --project <recipe>` deploys <recipe> once and runs its tiers
 * (install -> upgrade -> backup -> restore -> custom) against that one deployment.
 * `--project '<recipe> (install)'` picks a tier. `./ccci run <recipe>` wraps this.
 */
const settings = loadSettings()
const recipes = knownRecipes().map((r) => r.name)
if (recipes.length === 0) {
  // Vite prints only the message of a config error, so the next step goes into it.
  throw new CcciError(
    'CCCI_NO_RECIPES',
    `no recipe selected: no recipes in ${settings.recipeDirs.join(', ')} and CCCI_RECIPE is not set.\n` +
      'What to do: add recipes/<recipe>/, or run `./ccci run <recipe> --src <git url or path>`. Nothing was deployed.',
  )
}

export default defineConfig({
  test: {
    root: settings.root,
    include: [],
    globalSetup: [join(settings.root, 'harness', 'vitest', 'global-setup.ts')],
    projects: containerFiles(settings, recipes),
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { sequencer: PathSequencer },
    teardownTimeout: 600_000,
    reporters: ['default', new TierReporter(), new SummaryReporter()],
  },
})
