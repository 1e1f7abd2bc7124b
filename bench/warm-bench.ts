import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadSettings } from '../harness/config/settings.ts'
import { buildRecipeRepo } from '../harness/fixtures/recipe-repo.ts'
import { runCommand } from '../harness/process/index.ts'
import { createLogger } from '../harness/log.ts'
import { RecipeConfigSchema } from '../harness/recipe/recipe-config.ts'
import { promoteCanonical } from '../harness/warm/promote.ts'
import { removeCanonical } from '../harness/warm/remove-canonical.ts'
import { ccciRun, removeSourceCache, type CcciRunSample } from './ccci-run.ts'

/** The warm case's recipe: a notes app whose first start initialises its data for a while. */
export const WARM_RECIPE = 'warm-notes'
/** Seconds a fresh volume takes to initialise (a real app creating its database on first start). */
export const WARM_INIT_SECONDS = 45

export interface WarmSamples {
  cold: CcciRunSample[]
  quick: CcciRunSample[]
}

/**
 * A quick run against a cold run of the same change of the same recipe: the recipe's canonical is
 * seeded once (a promotion of its newest release), then each repeat runs the change cold and
 * quick. The canonical and the runs' results are removed afterwards.
 */
export async function warmBench(
  root: string,
  work: string,
  repeats: number,
  nextPr: () => string,
  signal: AbortSignal,
  progress: (message: string) => void,
): Promise<WarmSamples> {
  const settings = loadSettings()
  const src = join(work, WARM_RECIPE)
  const repo = await buildRecipeRepo(join(root, 'test', 'fixtures', 'recipes', WARM_RECIPE), src)
  const newest = repo.tags.at(-1) ?? ''
  // The change under test: a new page title on top of the newest release.
  await runCommand('git', ['-C', src, 'checkout', '-q', '-b', 'change', newest], {
    timeoutMs: 60_000,
  })
  await runCommand(
    'sed',
    ['-i', 's/APP_RELEASE=1.2.0/APP_RELEASE=1.3.0-dev/', join(src, 'compose.yml')],
    { timeoutMs: 60_000 },
  )
  await runCommand('git', ['-C', src, 'commit', '-qam', 'a change'], { timeoutMs: 60_000 })
  const recipeDirs = join(work, 'warm-config')
  mkdirSync(join(recipeDirs, WARM_RECIPE), { recursive: true })
  writeFileSync(join(recipeDirs, 'package.json'), '{ "type": "module" }\n')
  const config = {
    warmCanonical: true,
    extraEnv: { INIT_SECONDS: String(WARM_INIT_SECONDS) },
    timeouts: { deploy: 300 },
  }
  writeFileSync(
    join(recipeDirs, WARM_RECIPE, 'recipe.ts'),
    `import { defineRecipe } from '${root}/harness/index.ts'\nexport default defineRecipe(${JSON.stringify(config)})\n`,
  )
  const samples: WarmSamples = { cold: [], quick: [] }
  try {
    progress(`warm: seeding the canonical of ${WARM_RECIPE} at ${newest}`)
    await removeCanonical(settings, WARM_RECIPE, createLogger('bench'))
    await promoteCanonical({
      settings,
      recipe: WARM_RECIPE,
      config: RecipeConfigSchema.parse(config),
      version: newest,
      commit: repo.head,
      repo: src,
      log: createLogger('bench'),
    })
    for (let r = 1; r <= repeats; r++) {
      const input = { src, recipeDirs, signal, projects: [WARM_RECIPE], ref: 'change' }
      progress(
        `warm ${r}/${repeats}: cold run of a change (${WARM_INIT_SECONDS} s first-start init)`,
      )
      samples.cold.push(await ccciRun({ ...input, pr: nextPr() }))
      progress(`warm ${r}/${repeats}: quick run of the same change`)
      samples.quick.push(await ccciRun({ ...input, pr: nextPr(), env: { QUICK: '1' } }))
    }
  } finally {
    await removeCanonical(settings, WARM_RECIPE, createLogger('bench'))
    removeSourceCache(WARM_RECIPE, src)
  }
  return samples
}
