import type { Reporter, TestCase, TestModule, TestRunEndReason, Vitest } from 'vitest/node'
import { TIERS, type Tier } from '../run/tier-names.ts'
import { describeError } from '../errors.ts'
import { writeResultFiles, type RunResult } from '../results/report-files.ts'
import { lifecycleLine, orderTiers, runLevel, tierResult, type TierTally } from '../results/tier-results.ts'
import { registry } from '../run/run-registry.ts'
import { tryReadState } from '../run/state.ts'
import type { TierPlan } from '../overlays/tier-plan.ts'
import { loadSecretsFile, redact } from '../redaction/redact.ts'
import { redactFile } from '../run/setup-run.ts'
import type { TierProvided } from './context.ts'

function tierOf(project: { getProvidedContext(): unknown }): TierProvided | undefined {
  return (project.getProvidedContext() as { 'ccci.tier'?: TierProvided })['ccci.tier']
}

/**
 * Turns test results into tier results: prints the `LIFECYCLE ...` line and writes result.json,
 * summary.md and junit.xml into the run's results folder (the teardown adds the cleanup report).
 */
export class TierReporter implements Reporter {
  #vitest: Vitest | undefined
  #tallies = new Map<Tier, TierTally>()

  onInit(vitest: Vitest): void {
    this.#vitest = vitest
  }

  #tally(tier: Tier): TierTally {
    let tally = this.#tallies.get(tier)
    if (tally === undefined) {
      tally = { tests: [], errors: [] }
      this.#tallies.set(tier, tally)
    }
    return tally
  }

  onTestCaseResult(test: TestCase): void {
    const provided = tierOf(test.project)
    if (provided === undefined) {
      return
    }
    const result = test.result()
    const state =
      result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped'
    const message =
      state === 'failed'
        ? redact((result.errors ?? []).map((e) => e.message).join('\n'))
        : state === 'skipped'
          ? (result as { note?: string }).note
          : undefined
    this.#tally(provided.tier).tests.push({
      name: test.fullName,
      file: test.module.relativeModuleId,
      state,
      durationMs: test.diagnostic()?.duration ?? 0,
      message,
    })
  }

  onTestModuleEnd(module: TestModule): void {
    const provided = tierOf(module.project)
    if (provided !== undefined) {
      for (const error of module.errors()) {
        this.#tally(provided.tier).errors.push(
          redact(`${module.relativeModuleId}: ${error.message}`),
        )
      }
    }
  }

  onTestRunEnd(
    _modules: ReadonlyArray<TestModule>,
    unhandled: ReadonlyArray<unknown>,
    reason: TestRunEndReason,
  ): void {
    const run = registry()
    const context = run.context
    const out = (line: string) => process.stdout.write(`${line}\n`)
    if (context === undefined) {
      const why =
        run.setupError ??
        (unhandled.map((e) => redact(describeError(e))).join('\n') || 'no recipe tier was selected')
      out(`\nLIFECYCLE not run: the run stopped before deploying\n${why}`)
      return
    }
    const provided = (this.#vitest?.projects ?? [])
      .map(tierOf)
      .filter((p): p is TierProvided => p !== undefined)
    const selected = new Set(provided.map((p) => p.tier))
    const plans: TierPlan[] = provided.map((p) => p.plan)
    const empty = new Set(provided[0]?.emptyTiers ?? [])
    const interrupted = reason === 'interrupted' || run.interrupted !== undefined
    const tiers = orderTiers(
      TIERS.map((tier) =>
        tierResult(tier, this.#tallies.get(tier), {
          selected: selected.has(tier),
          empty: empty.has(tier),
          expectedNA: context.expectedNA[tier],
          interrupted,
        }),
      ),
    )
    // Values tier workers created (an upgrade's new secrets) are only in the redaction file.
    loadSecretsFile(redactFile(context.runDir))
    const state = tryReadState(context.runDir)
    const deployCount = state?.installs ?? 0
    const lint = state?.data.lint as RunResult['lint']
    const lifecycle = lifecycleLine(tiers)
    const ok =
      !interrupted &&
      unhandled.length === 0 &&
      deployCount === 1 &&
      tiers.every((t) => t.status !== 'fail' && t.status !== 'error') &&
      tiers[0]?.status === 'pass'
    const result: RunResult = {
      version: 1,
      runId: context.runId,
      recipe: context.recipe,
      domain: context.domain,
      driver: context.driver,
      source: {
        src: provided[0]?.source?.src ?? '',
        ref: provided[0]?.source?.ref,
        commit: context.headCommit,
        pr: process.env.PR ?? 'local',
      },
      headVersion: context.headVersion,
      baseVersion: context.baseVersion,
      startedAt: run.startedAt,
      finishedAt: new Date().toISOString(),
      reason: interrupted ? `interrupted (${run.interrupted ?? 'cancelled'})` : reason,
      deployCount,
      lifecycle,
      level: runLevel(tiers, lint === undefined ? 'not-run' : lint.ok ? 'pass' : 'fail'),
      ok,
      tiers,
      plan: plans,
      lint,
      cleanup: undefined,
    }
    writeResultFiles(context.resultsDir, result)
    out(`\n${redact(lifecycle)}  (deploy count ${deployCount}, level ${result.level}/5)`)
    out(`results: ${context.resultsDir}`)
  }
}
