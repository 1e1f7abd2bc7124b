import type { TestProject, Vitest } from 'vitest/node'
import { loadSettings } from '../config/settings.ts'
import { CcciError, describeError } from '../errors.ts'
import { createLogger } from '../log.ts'
import { skipGenericWarning } from '../overlays/skip-generic.ts'
import { loadRecipeConfig } from '../recipe/load-recipe.ts'
import { redactProcessOutput } from '../redaction/redact-output.ts'
import { redact } from '../redaction/redact.ts'
import { anyTierFailed, decideResult } from '../results/decide-result.ts'
import { writeResultFiles } from '../results/report-files.ts'
import { loadRunSecrets } from '../run/run-secrets.ts'
import { setupRun, type RunHandle } from '../run/setup-run.ts'
import { tryReadState } from '../run/state.ts'
import { closeRun, teardownRun } from '../run/teardown-run.ts'
import { checkTierDefinitions, type TierDefinition } from '../run/tier-definition.ts'
import { readTrigger } from '../run/trigger.ts'
import type { TierProvided } from './context.ts'
import { refuseUnavailable, requireHost, requireOneRecipe } from './preflight.ts'
import { countTests, selectedTiers, summaryLines, tierTallies } from './test-outcomes.ts'

/**
 * The root global setup of a recipe run, for the given tier definitions: Vitest loads
 * `tiers/run-setup.ts`, which exports what this returns. Setup and teardown share one closure:
 * what setup created (the handle), the signal, whether the run was interrupted.
 */
export function createGlobalSetup(tierDefinitions: readonly TierDefinition[]): {
  setup: (project: TestProject) => Promise<void>
  teardown: () => Promise<void>
} {
  const definitions = checkTierDefinitions(tierDefinitions)
  const log = createLogger()
  const handle: RunHandle = {}
  const abort = new AbortController()
  let interrupted: 'SIGINT' | 'SIGTERM' | undefined
  let vitest: Vitest | undefined
  let pending: Promise<unknown> | undefined
  let setupError: string | undefined
  let startedAt: string | undefined

  /** SIGINT/SIGTERM cancel the run and close Vitest, which runs the teardown; a second signal forces. */
  function ownSignals(v: Vitest): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(signal)
      process.once(signal, () => {
        const code = signal === 'SIGINT' ? 130 : 143
        // Vitest exits on its own once the cancelled run closed; whoever exits first, the code says why.
        const exit = process.exit.bind(process)
        process.exit = () => exit(code)
        process.exitCode = code
        interrupted = signal
        abort.abort()
        log.warn(
          `${signal}: cancelling the run and cleaning up (send ${signal} again to quit at once, then run ./ccci janitor)`,
        )
        process.once(signal, () => process.exit(code))
        void (async () => {
          try {
            await v.cancelCurrentRun('keyboard-input')
            await v.close()
          } catch (error) {
            log.warn(`while stopping: ${describeError(error)}`)
          } finally {
            process.exit(code)
          }
        })()
      })
    }
  }

  async function start(project: TestProject): Promise<void> {
    vitest = project.vitest
    const tiers = selectedTiers(project.vitest)
    const first = requireOneRecipe(tiers)
    const warning = skipGenericWarning()
    if (warning !== undefined) {
      log.warn(warning)
    }
    const settings = loadSettings()
    const trigger = readTrigger()
    await requireHost(settings)
    const config = await loadRecipeConfig({ name: first.recipe, dir: first.configDir })
    refuseUnavailable(first, config, trigger)
    ownSignals(project.vitest)
    redactProcessOutput()
    startedAt = new Date().toISOString()
    const context = setupRun(
      {
        settings,
        recipe: first.recipe,
        config,
        configDir: first.configDir,
        source: first.source as NonNullable<TierProvided['source']>,
        trigger,
        tiers: tiers.map((t) => t.tier),
        definitions,
        repoLocalApproved: first.repoLocalApproved,
        log,
        signal: abort.signal,
      },
      handle,
    )
    pending = context.catch(() => undefined)
    project.provide('ccci.run', await context)
  }

  async function setup(project: TestProject): Promise<void> {
    try {
      await start(project)
    } catch (error) {
      // Vitest reports a failing global setup as "No test files found"; say what really happened.
      setupError = redact(describeError(error))
      process.stderr.write(
        `\ncc-ci: the run stopped before it could test anything:\n${setupError.replace(/^/gm, '  ')}\n\n`,
      )
      throw error
    }
  }

  async function teardown(): Promise<void> {
    await pending
    const settings = loadSettings()
    const out = (line: string) => process.stdout.write(`${line}\n`)
    const runDir = handle.opened?.runDir
    if (runDir !== undefined) {
      // Secrets the tiers created (an upgrade's new ones) were recorded by the workers.
      loadRunSecrets(runDir)
    }
    const state = runDir === undefined ? undefined : tryReadState(runDir)
    const modules = vitest?.state.getTestModules() ?? []
    const unhandled = vitest?.state.getUnhandledErrors().length ?? 0
    const tallies = tierTallies(modules)
    const failed = anyTierFailed(tallies, state?.failedTiers ?? []) || unhandled > 0
    const report = await teardownRun(settings, handle, log, failed || interrupted !== undefined)
    const context = handle.context
    if (context === undefined) {
      out(
        `\nLIFECYCLE not run: the run stopped before deploying\n${setupError ?? 'no recipe tier was selected'}`,
      )
    } else {
      const provided = vitest === undefined ? [] : selectedTiers(vitest)
      const result = decideResult({
        run: context,
        source: {
          src: provided[0]?.source?.src ?? '',
          ref: provided[0]?.source?.ref,
          pr: readTrigger().pr,
        },
        tallies,
        selected: new Set(provided.map((p) => p.tier)),
        empty: new Set(provided[0]?.emptyTiers ?? []),
        plans: provided.map((p) => p.plan),
        interrupted,
        unhandledErrors: unhandled,
        deployCount: state?.installs ?? 0,
        lint: state?.data.lint as Parameters<typeof decideResult>[0]['lint'],
        cleanup: report,
        startedAt,
        finishedAt: new Date().toISOString(),
      })
      writeResultFiles(context.resultsDir, result)
      out(
        `\n${redact(result.lifecycle)}  (deploy count ${result.deployCount}, level ${result.level}/5)`,
      )
      out(`results: ${context.resultsDir}`)
    }
    closeRun(settings, handle, report, log)
    process.stdout.write(summaryLines(countTests(modules, unhandled)))
    if (!report.ok) {
      const failures = report.steps.filter((s) => !s.ok).map((s) => `${s.step}: ${s.detail}`)
      throw new CcciError(
        'CCCI_TEARDOWN',
        `teardown did not finish cleanly:\n${[...failures, ...report.leftovers].join('\n')}`,
        { hint: 'run `./ccci janitor` to remove what is left' },
      )
    }
  }

  return { setup, teardown }
}
