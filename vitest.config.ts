import { join } from 'node:path'
import { defineConfig } from 'vitest/config'
import { loadSettings } from './harness/config/settings.ts'
import { CcciError } from './harness/errors.ts'
import { containerFiles } from './harness/vitest/container-files.ts'
import { PathSequencer } from './harness/vitest/path-sequencer.ts'
import { TIERS } from './harness/run/tier-names.ts'
import { projectFilters, selectedRecipes } from './harness/vitest/project-filter.ts'
import { knownRecipes } from './harness/vitest/recipe-projects.ts'

/**
 * The contract: `vitest run --project <recipe>` deploys <recipe> once and runs its tiers
 * (install -> upgrade -> backup -> restore -> custom) against that one deployment.
 * `--project '<recipe> (install)'` picks a tier. `./ccci run <recipe>` wraps this.
 */
const settings = loadSettings()
const known = knownRecipes().map((r) => r.name)
// Only the recipes the command line selects get a container: each costs seconds to load. When the
// filters match none, every recipe stays, so Vitest reports the unmatched filter as usual.
const selected = selectedRecipes(projectFilters(process.argv), known, TIERS)
const recipes = selected.length > 0 ? selected : known
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
    // The run's setup and teardown: the harness's lifecycle with the tier definitions of tiers/.
    globalSetup: [join(settings.root, 'tiers', 'run-setup.ts')],
    projects: containerFiles(settings, recipes),
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { sequencer: PathSequencer },
    teardownTimeout: 600_000,
    // Results (result.json, summary.md, junit.xml, the LIFECYCLE and `N passed, N failed` lines)
    // come from the teardown, so they do not depend on the reporters a command line chooses.
    reporters: ['default'],
  },
})
