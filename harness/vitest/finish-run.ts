import type { Vitest } from 'vitest/node'
import { loadSettings } from '../config/settings.ts'
import { CcciError } from '../errors.ts'
import { readDiagnosticsLink } from '../diagnostics/diagnostics-files.ts'
import { recordRunHistory } from '../history/record-run-history.ts'
import type { Logger } from '../log.ts'
import { redact } from '../redaction/redact.ts'
import { anyTierFailed, decideResult, grantedAccess } from '../results/decide-result.ts'
import { writeResultFiles, type CleanupReport } from '../results/report-files.ts'
import { recordResultsDir } from '../results/results-pointer.ts'
import type { RunLint } from '../run/lint-head.ts'
import { loadRunSecrets } from '../run/run-secrets.ts'
import type { RunHandle } from '../run/setup-run.ts'
import { planWarnings, runWarnings } from '../results/run-warnings.ts'
import { tryReadState, type RunState } from '../run/state.ts'
import { closeRun, teardownRun } from '../run/teardown-run.ts'
import { readTrigger } from '../run/trigger.ts'
import { loadRecipeConfig } from '../recipe/load-recipe.ts'
import { promoteAfterRun } from '../warm/promote-run.ts'
import { countTests, selectedTiers, summaryLines, tierTallies } from './test-outcomes.ts'

interface ResultParts {
  input: FinishInput
  state: RunState | undefined
  tallies: ReturnType<typeof tierTallies>
  unhandled: number
  report: CleanupReport
  teardownMs: number
}

/** The verdict, decided once; the promotion; both written; the LIFECYCLE line (or why there is none). */
async function reportResult({
  input,
  state,
  tallies,
  unhandled,
  report,
  teardownMs,
}: ResultParts): Promise<void> {
  const { handle, vitest } = input
  const out = (line: string) => process.stdout.write(`${line}\n`)
  const context = handle.context
  if (context === undefined) {
    out(
      `\nLIFECYCLE not run: the run stopped before deploying\n${input.setupError ?? 'no recipe tier was selected'}`,
    )
    return
  }
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
    dropped: provided[0]?.droppedTiers ?? {},
    plans: provided.map((p) => p.plan),
    interrupted: input.interrupted,
    unhandledErrors: unhandled,
    deployCount: state?.installs ?? 0,
    lint: state?.data.lint as RunLint | undefined,
    cleanup: report,
    startedAt: input.startedAt,
    finishedAt: new Date().toISOString(),
    hostAccess: grantedAccess([state?.data['install.deployed'], state?.data['upgrade.after']]),
    warnings: [
      ...planWarnings(
        provided.map((p) => p.plan),
        context.recipe,
      ),
      ...runWarnings(state?.data ?? {}),
    ],
    quick: context.quick,
    infra:
      typeof state?.data['infra.failure'] === 'string' ? state.data['infra.failure'] : undefined,
  })
  const config = await loadRecipeConfig({ name: context.recipe, dir: context.configDir })
  result.promotion = await promoteAfterRun({
    settings: loadSettings(),
    result,
    config,
    repo: provided[0]?.source?.cacheRepo,
    log: input.log,
  })
  const diagnostics = readDiagnosticsLink(context.resultsDir)
  result.diagnostics = diagnostics?.path
  result.diagnosticsHeadline = diagnostics?.headline
  const times = { resultsDir: context.resultsDir, ops: state?.ops ?? {}, teardownMs }
  result.slowPhases = recordRunHistory(loadSettings().home, result, times, input.log)
  writeResultFiles(context.resultsDir, result)
  recordResultsDir(context.resultsDir)
  out(
    `\n${redact(result.lifecycle)}  (deploy count ${result.deployCount}, level ${result.level}/5)`,
  )
  out(`results: ${context.resultsDir}`)
}

export interface FinishInput {
  handle: RunHandle
  vitest: Vitest | undefined
  log: Logger
  interrupted: 'SIGINT' | 'SIGTERM' | undefined
  /** Why the setup stopped, when it did (printable, redacted). */
  setupError: string | undefined
  startedAt: string | undefined
}

/**
 * The global teardown: the run's teardown steps, then the verdict decided once (from Vitest's
 * state, whatever the reporters) and written, the LIFECYCLE line, the lease, and the plain
 * `N passed, N failed` line last. Throws when the teardown left something.
 */
export async function finishRun(input: FinishInput): Promise<void> {
  const { handle, vitest, log } = input
  const settings = loadSettings()
  const runDir = handle.opened?.runDir
  if (runDir !== undefined) {
    // Secrets the tiers created (an upgrade's new ones) were recorded by the workers.
    loadRunSecrets(runDir)
  }
  const state = runDir === undefined ? undefined : tryReadState(runDir)
  const modules = vitest?.state.getTestModules() ?? []
  const unhandled = vitest?.state.getUnhandledErrors().length ?? 0
  const tallies = tierTallies(modules)
  const failed =
    anyTierFailed(tallies, state?.failedTiers ?? []) ||
    unhandled > 0 ||
    input.interrupted !== undefined
  const teardownStarted = Date.now()
  const report = await teardownRun(settings, handle, log, failed)
  const teardownMs = Date.now() - teardownStarted
  await reportResult({ input, state, tallies, unhandled, report, teardownMs })
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
