import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Settings } from '../config/settings.ts'
import { STACK_NAMESPACE_LABEL } from '../docker/index.ts'
import type { AppDriver, AppRef } from '../driver/app-driver.ts'
import { CcciError, describeError } from '../errors.ts'
import { collectDiagnostics } from '../diagnostics/collect-diagnostics.ts'
import { wantsDiagnostics } from '../diagnostics/diagnostics-files.ts'
import { ownedObjects } from '../janitor/janitor.ts'
import { releaseLease } from '../janitor/lease.ts'
import { RUN_LABEL } from '../janitor/owner-labels.ts'
import type { Logger } from '../log.ts'
import { pollUntil } from '../poll.ts'
import { redact, redactDeep } from '../redaction/redact.ts'
import type { CleanupReport } from '../results/report-files.ts'
import { unwindCleanup } from './cleanup-journal.ts'
import { hasDependencies, releaseDependencies } from '../deps/release-deps.ts'
import type { RunHandle } from './setup-run.ts'
import { readState, stateFile } from './state.ts'

/** Every Docker object of the run still there: by its owner label, or by its stack's label. */
export async function runLeftovers(runId: string, stack: string | undefined): Promise<string[]> {
  const owned = await ownedObjects({ [RUN_LABEL]: runId })
  const stacked = stack === undefined ? [] : await ownedObjects({ [STACK_NAMESPACE_LABEL]: stack })
  const seen = new Set<string>()
  return [...owned, ...stacked]
    .map((o) => `${o.kind} ${o.name}`)
    .filter((name) => !seen.has(name) && seen.add(name) !== undefined)
}

/**
 * What is left of the run once Docker has finished removing it. The stack's networks go a few
 * seconds after its containers (the undeploy does not wait for them): wait for them. A task Docker
 * was starting when the stack was removed (a run interrupted during its deploy) can still create
 * its container, and with it the stack's volume, a moment after the volumes were removed: wait
 * for the stack's containers to go, then remove its volumes again.
 */
async function settledLeftovers(
  runId: string,
  app: AppRef,
  driver: AppDriver | undefined,
): Promise<string[]> {
  const leftovers = await runLeftovers(runId, app.stack)
  if (leftovers.length === 0 || driver === undefined) {
    return leftovers
  }
  await pollUntil(
    async () =>
      (await runLeftovers(runId, app.stack)).find(
        (left) => left.startsWith('container ') || left.startsWith('network '),
      ),
    { timeoutMs: 30_000, intervalMs: 250 },
  )
  if (leftovers.some((left) => !left.startsWith('network '))) {
    await driver.removeVolumes(app)
  }
  return runLeftovers(runId, app.stack)
}

/** Runs each teardown step in its own try; a failure is reported and the next step runs. */
function stepRunner(report: CleanupReport, log: Logger) {
  return async (name: string, fn: () => Promise<string | void>): Promise<void> => {
    try {
      const detail = await fn()
      report.steps.push({ step: name, ok: true, detail: detail ?? '' })
    } catch (error) {
      report.ok = false
      report.steps.push({ step: name, ok: false, detail: redact(describeError(error)) })
      log.warn(`teardown: ${name} failed: ${describeError(error)}`)
    }
  }
}

/**
 * The mirror of the setup: diagnostics when a tier failed, the cleanup stack unwound (undeploy,
 * volumes, secrets, proxy routes, env file: whatever the setup and the tiers registered), a check
 * that nothing of the run is left, the run folder (its state kept, redacted, with the results).
 * The lease is released only when all of it succeeded, so the janitor finishes the job otherwise.
 */
export async function teardownRun(
  settings: Settings,
  handle: RunHandle,
  log: Logger,
  failed: boolean,
): Promise<CleanupReport> {
  const report: CleanupReport = { ok: true, steps: [], leftovers: [] }
  const step = stepRunner(report, log)
  const { opened, driver } = handle
  if (opened === undefined) {
    return report
  }
  const { app, runDir, resultsDir, runId } = opened
  if (driver !== undefined) {
    if (wantsDiagnostics(failed, settings.diagnostics)) {
      await step('diagnostics', () =>
        collectDiagnostics({ app, runId, runDir, resultsDir, why: failed ? 'failed' : 'always' }),
      )
    }
    log.step(`tearing down ${app.domain}`)
    for (const undone of await unwindCleanup(runDir, { app, driver, log })) {
      await step(undone.step, () =>
        undone.ok ? Promise.resolve(undone.detail) : Promise.reject(new Error(undone.detail)),
      )
    }
  }
  if (hasDependencies(runDir)) {
    // After the undeploy: the app no longer signs in through the realm it is about to lose.
    await step('dependencies', () => releaseDependencies(settings, runDir))
  }
  await step('leftover check', async () => {
    report.leftovers = await settledLeftovers(runId, app, driver)
    if (existsSync(app.envFile)) {
      report.leftovers.push(`env file ${app.envFile}`)
    }
    if (report.leftovers.length > 0) {
      throw new CcciError('CCCI_LEFTOVERS', `the run left ${report.leftovers.join(', ')}`, {
        hint: 'run `./ccci janitor` to remove them',
      })
    }
  })
  await step('run folder', () => {
    if (existsSync(stateFile(runDir))) {
      writeFileSync(
        join(resultsDir, 'state.json'),
        `${JSON.stringify(redactDeep(readState(runDir)), null, 2)}\n`,
      )
    }
    rmSync(runDir, { recursive: true, force: true })
    return Promise.resolve()
  })
  return report
}

/** The last step: the lease goes only when nothing is left, and the log says which it was. */
export function closeRun(
  settings: Settings,
  handle: RunHandle,
  report: CleanupReport,
  log: Logger,
): void {
  const runId = handle.opened?.runId
  if (runId === undefined) {
    return
  }
  if (report.ok) {
    releaseLease(settings.home, runId)
    log.info(`teardown complete: nothing of run ${runId} is left`)
  } else {
    log.warn(`teardown incomplete for run ${runId}: run ./ccci janitor`)
  }
}
