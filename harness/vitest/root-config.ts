import { join } from 'node:path'
import type { ViteUserConfig } from 'vitest/config'
import { loadSettings } from '../config/settings.ts'
import { CcciError } from '../errors.ts'
import { TIERS } from '../run/tier-names.ts'
import { checkTierDefinitions, type TierDefinition } from '../run/tier-definition.ts'
import { containerFiles } from './container-files.ts'
import { PathSequencer } from './path-sequencer.ts'
import { projectFilters, runsWhole, selectedRecipes } from './project-filter.ts'
import { knownRecipes, recipeContainer } from './recipe-projects.ts'

/** Matches the files under `<root>/<folder>/`. */
function ownFolder(root: string, folder: string): RegExp {
  return new RegExp(`^${join(root, folder).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`)
}

/**
 * The root Vitest config of recipe runs (`vitest.config.ts` hands over here with the tier
 * definitions of tiers/): one container project per selected recipe, each computed once, the
 * run's global setup, files one at a time.
 */
export async function rootConfig(
  tierDefinitions: readonly TierDefinition[],
): Promise<ViteUserConfig> {
  const settings = loadSettings()
  const definitions = checkTierDefinitions(tierDefinitions)
  const entries = knownRecipes()
  const known = entries.map((r) => r.name)
  // Only the recipes the command line selects get a container: each costs seconds to load. When
  // the filters match none, every recipe stays, so Vitest reports the unmatched filter as usual.
  const filters = projectFilters(process.argv)
  const selected = selectedRecipes(filters, known, TIERS)
  const recipes = entries.filter((e) => (selected.length > 0 ? selected : known).includes(e.name))
  // The source is fetched for the one recipe a run selects (`vitest list` fetches nothing).
  const fetched = selected.length === 1 && !process.argv.includes('list') ? selected[0] : undefined
  if (recipes.length === 0) {
    // Vite prints only the message of a config error, so the next step goes into it.
    throw new CcciError(
      'CCCI_NO_RECIPES',
      `no recipe selected: no recipes in ${settings.recipeDirs.join(', ')} and CCCI_RECIPE is not set.\n` +
        'What to do: add recipes/<recipe>/, or run `./ccci run <recipe> --src <git url or path>`. Nothing was deployed.',
    )
  }
  const containers = new Map(
    await Promise.all(
      recipes.map(
        async (entry) =>
          [
            entry.name,
            await recipeContainer(
              entry,
              entry.name === fetched,
              definitions,
              runsWhole(filters, entry.name, TIERS),
            ),
          ] as const,
      ),
    ),
  )
  return {
    test: {
      root: settings.root,
      include: [],
      // The run's setup and teardown: the harness's lifecycle with the tier definitions of tiers/.
      globalSetup: [join(settings.root, 'tiers', 'run-setup.ts')],
      projects: containerFiles(settings, containers),
      fileParallelism: false,
      maxWorkers: 1,
      sequence: { sequencer: PathSequencer },
      teardownTimeout: 600_000,
      // Results (result.json, summary.md, junit.xml, the LIFECYCLE and `N passed, N failed` lines)
      // come from the teardown, so they do not depend on the reporters a command line chooses.
      reporters: ['default'],
      // The harness and the tier definitions are loaded by Node itself (type stripping), in the
      // main process and in every tier's worker: the global setup then shares the modules this
      // config already loaded, and a worker skips Vite's module runner for ~300 files.
      server: {
        deps: {
          external: [ownFolder(settings.root, 'harness'), ownFolder(settings.root, 'tiers')],
        },
      },
    },
  }
}
