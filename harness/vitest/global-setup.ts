import type { TestProject, Vitest } from 'vitest/node'
import { loadSettings, type Settings } from '../config/settings.ts'
import { hostStatus } from '../host/local-host.ts'
import { errorFromData } from '../error-data.ts'
import { CcciError, describeError } from '../errors.ts'
import { createLogger } from '../log.ts'
import { loadRecipeConfig } from '../recipe/load-recipe.ts'
import { redactProcessOutput } from '../redaction/redact-output.ts'
import { registry } from '../run/run-registry.ts'
import { setupRun } from '../run/setup-run.ts'
import { skipGenericWarning } from '../overlays/skip-generic.ts'
import { teardownRun, type RunHandle } from '../run/teardown-run.ts'
import { readTrigger } from '../run/trigger.ts'
import type { TierProvided } from './context.ts'

/**
 * The root global setup: once per run, in Vitest's main process. Named exports `setup` and
 * `teardown`, because Vitest runs an exported `teardown` even when `setup` throws.
 */
const log = createLogger()
const handle: RunHandle = {}

function selectedTiers(vitest: Vitest): TierProvided[] {
  return vitest.projects
    .map((p) => (p.getProvidedContext() as { 'ccci.tier'?: TierProvided })['ccci.tier'])
    .filter((p): p is TierProvided => p !== undefined)
}

/** SIGINT/SIGTERM cancel the run and close Vitest, which runs the teardown; a second signal forces. */
function ownSignals(vitest: Vitest): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal)
    process.once(signal, () => {
      const code = signal === 'SIGINT' ? 130 : 143
      // Vitest exits on its own once the cancelled run closed; whoever exits first, the code says why.
      const exit = process.exit.bind(process)
      process.exit = () => exit(code)
      process.exitCode = code
      const run = registry()
      run.interrupted = signal
      run.abort.abort()
      log.warn(
        `${signal}: cancelling the run and cleaning up (send ${signal} again to quit at once, then run ./ccci janitor)`,
      )
      process.once(signal, () => process.exit(code))
      void (async () => {
        try {
          await vitest.cancelCurrentRun('keyboard-input')
          await vitest.close()
        } catch (error) {
          log.warn(`while stopping: ${describeError(error)}`)
        } finally {
          process.exit(code)
        }
      })()
    })
  }
}

/** Fails fast, before anything is created, when the host cannot take a deployment. */
async function requireHost(settings: Settings): Promise<void> {
  const status = await hostStatus(settings)
  if (!status.engine.reachable || status.engine.swarm !== 'active') {
    throw new CcciError(
      'CCCI_HOST_NOT_READY',
      `no swarm to deploy to: ${status.engine.reachable ? `swarm is ${status.engine.swarm ?? 'inactive'}` : (status.engine.error ?? 'Docker does not answer')}`,
      {
        hint: 'run `./ccci host up` (or use `./ccci run`, which does); nothing was deployed',
      },
    )
  }
  if (settings.proxy === 'local' && !status.ready) {
    const missing = [
      !status.network && 'the proxy network',
      status.tls?.suffix !== settings.domainSuffix &&
        `a certificate for *.${settings.domainSuffix}`,
      !Object.values(status.images).every(Boolean) && 'the base images',
      !status.proxy.present && 'the ccci-proxy service',
    ].filter(Boolean)
    throw new CcciError(
      'CCCI_HOST_NOT_READY',
      `the local host is not ready: missing ${missing.join(', ')}`,
      {
        hint: 'run `./ccci host up` (or use `./ccci run`, which does); nothing was deployed',
      },
    )
  }
}

export async function setup(project: TestProject): Promise<void> {
  try {
    await start(project)
  } catch (error) {
    // Vitest reports a failing global setup as "No test files found"; say what really happened.
    const report = describeError(error)
    registry().setupError = report
    process.stderr.write(
      `\ncc-ci: the run stopped before it could test anything:\n${report.replace(/^/gm, '  ')}\n\n`,
    )
    throw error
  }
}

async function start(project: TestProject): Promise<void> {
  const tiers = selectedTiers(project.vitest)
  const recipes = [...new Set(tiers.map((t) => t.recipe))]
  if (recipes.length !== 1) {
    throw new CcciError(
      'CCCI_SELECT_ONE_RECIPE',
      recipes.length === 0
        ? 'no recipe selected: a run tests exactly one recipe'
        : `${recipes.length} recipes selected (${recipes.join(', ')}): a run tests exactly one recipe against one deployment`,
      {
        hint: 'run `vitest run --project <recipe>` or `./ccci run <recipe>`; nothing was deployed',
      },
    )
  }
  const first = tiers[0] as TierProvided
  if (first.configError !== undefined) {
    throw errorFromData(first.configError, 'nothing was deployed')
  }
  if (first.sourceError !== undefined) {
    throw new CcciError(
      'CCCI_RECIPE_SOURCE',
      `cannot fetch recipe ${first.recipe}: ${first.sourceError}`,
      {
        hint: 'check SRC and REF (or `--src`/`--ref`); nothing was deployed',
      },
    )
  }
  if (first.source === undefined) {
    throw new CcciError('CCCI_RECIPE_SOURCE', `the source of ${first.recipe} was not fetched`, {
      hint: 'start the run with `vitest run --project <recipe>` (not `vitest list`)',
    })
  }
  const warning = skipGenericWarning()
  if (warning !== undefined) {
    log.warn(warning)
  }
  const settings = loadSettings()
  const trigger = readTrigger()
  if (trigger.quick) {
    throw new CcciError(
      'CCCI_QUICK_UNAVAILABLE',
      'a --quick run needs the warm canonical deployments, which this cc-ci does not have yet',
      {
        hint: 'run without QUICK (a cold run); nothing was deployed',
      },
    )
  }
  await requireHost(settings)
  const config = await loadRecipeConfig({ name: first.recipe, dir: first.configDir })
  if (config.deps.length > 0) {
    throw new CcciError(
      'CCCI_DEPS_UNAVAILABLE',
      `${first.recipe} needs ${config.deps.join(', ')}, which this cc-ci cannot provide yet`,
      {
        hint: `remove deps from ${first.configDir ?? 'recipe.ts'}/recipe.ts to run without them; nothing was deployed`,
      },
    )
  }
  ownSignals(project.vitest)
  redactProcessOutput()
  const run = registry()
  run.startedAt = new Date().toISOString()
  const pending = setupRun(
    {
      settings,
      recipe: first.recipe,
      config,
      configDir: first.configDir,
      source: first.source,
      trigger,
      tiers: tiers.map((t) => t.tier),
      repoLocalApproved: first.repoLocalApproved,
      log,
      signal: run.abort.signal,
    },
    handle,
  )
  run.setup = pending.catch(() => undefined)
  const context = await pending
  run.context = context
  project.provide('ccci.run', context)
}

export async function teardown(): Promise<void> {
  const run = registry()
  await run.setup
  const report = await teardownRun(loadSettings(), handle, log)
  if (!report.ok) {
    const failed = report.steps.filter((s) => !s.ok).map((s) => `${s.step}: ${s.detail}`)
    throw new CcciError(
      'CCCI_TEARDOWN',
      `teardown did not finish cleanly:\n${[...failed, ...report.leftovers].join('\n')}`,
      {
        hint: 'run `./ccci janitor` to remove what is left',
      },
    )
  }
}
