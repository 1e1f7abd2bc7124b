import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Settings } from '../config/settings.ts'
import type { AppDriver, AppRef } from '../driver/app-driver.ts'
import { STACK_NAMESPACE_LABEL } from '../docker/index.ts'
import { CcciError, describeError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { loadSecretsFile, redact, redactDeep } from '../redaction/redact.ts'
import { ownedObjects } from '../janitor/janitor.ts'
import { syncLocalProxy } from '../proxy/proxy-sync.ts'
import { redactFile } from './setup-run.ts'
import { RUN_LABEL } from '../janitor/owner-labels.ts'
import { releaseLease } from '../janitor/lease.ts'
import { readResult, writeResultFiles, type CleanupReport } from '../results/report-files.ts'
import { readState, stateFile } from './state.ts'

/** What a run created, as far as setup got: teardown cleans up whatever is set. */
export interface RunHandle {
  runId?: string
  runDir?: string
  resultsDir?: string
  app?: AppRef
  driver?: AppDriver
}

/** Every Docker object of the run still there: by its owner label, or by its stack's label. */
export async function runLeftovers(runId: string, stack: string | undefined): Promise<string[]> {
  const owned = await ownedObjects({ [RUN_LABEL]: runId })
  const stacked = stack === undefined ? [] : await ownedObjects({ [STACK_NAMESPACE_LABEL]: stack })
  const seen = new Set<string>()
  return [...owned, ...stacked]
    .map((o) => `${o.kind} ${o.name}`)
    .filter((name) => !seen.has(name) && seen.add(name) !== undefined)
}

async function diagnostics(driver: AppDriver, app: AppRef): Promise<string> {
  const parts: string[] = []
  const services = await driver.ps(app)
  parts.push('## services', ...services.map((s) => `${s.service}: ${s.status} (${s.image})`))
  for (const service of services) {
    parts.push(
      '',
      `## logs of ${service.service} (last 100 lines)`,
      await driver.logs(app, service.service, 100).catch((e: unknown) => String(e)),
    )
  }
  return redact(parts.join('\n'))
}

/**
 * The run's one teardown. Each step runs in its own try: diagnostics on failure, undeploy,
 * volumes, secrets, env file, proxy routes, a leftover check; then the results get the cleanup
 * report and the run folder goes. Errors are collected and thrown together at the end.
 */
export async function teardownRun(
  settings: Settings,
  handle: RunHandle,
  log: Logger,
): Promise<CleanupReport> {
  const report: CleanupReport = { ok: true, steps: [], leftovers: [] }
  const step = async (name: string, fn: () => Promise<string | void>): Promise<void> => {
    try {
      const detail = await fn()
      report.steps.push({ step: name, ok: true, detail: detail ?? '' })
    } catch (error) {
      report.ok = false
      report.steps.push({ step: name, ok: false, detail: redact(describeError(error)) })
      log.warn(`teardown: ${name} failed: ${describeError(error)}`)
    }
  }
  const { app, driver, runId, runDir, resultsDir } = handle
  if (runDir !== undefined) {
    // Secrets the tiers created (an upgrade's new ones) were recorded by the workers.
    loadSecretsFile(redactFile(runDir))
  }
  const result = resultsDir === undefined ? undefined : readResult(resultsDir)
  if (app !== undefined && driver !== undefined) {
    if (resultsDir !== undefined && result?.ok !== true) {
      await step('diagnostics', async () => {
        writeFileSync(join(resultsDir, 'diagnostics.txt'), await diagnostics(driver, app))
        return join(resultsDir, 'diagnostics.txt')
      })
    }
    log.step(`tearing down ${app.domain}`)
    await step('undeploy', () => driver.undeploy(app))
    await step('volumes', async () => (await driver.removeVolumes(app)).join(', '))
    await step('secrets', async () => (await driver.removeSecrets(app)).join(', '))
    await step('env file', () => driver.removeEnv(app))
    await step('proxy routes', syncLocalProxy)
  }
  if (runId !== undefined) {
    await step('leftover check', async () => {
      report.leftovers = await runLeftovers(runId, app?.stack)
      if (app !== undefined && existsSync(app.envFile)) {
        report.leftovers.push(`env file ${app.envFile}`)
      }
      if (report.leftovers.length > 0) {
        throw new CcciError('CCCI_LEFTOVERS', `the run left ${report.leftovers.join(', ')}`, {
          hint: 'run `./ccci janitor` to remove them',
        })
      }
    })
  }
  if (runDir !== undefined) {
    await step('run folder', () => {
      if (resultsDir !== undefined && existsSync(stateFile(runDir))) {
        writeFileSync(
          join(resultsDir, 'state.json'),
          `${JSON.stringify(redactDeep(readState(runDir)), null, 2)}\n`,
        )
      }
      rmSync(runDir, { recursive: true, force: true })
      return Promise.resolve()
    })
  }
  if (result !== undefined && resultsDir !== undefined) {
    result.cleanup = report
    result.ok = result.ok && report.ok
    writeResultFiles(resultsDir, result)
  }
  if (runId !== undefined && report.ok) {
    releaseLease(settings.home, runId)
  }
  if (runId !== undefined) {
    if (report.ok) {
      log.info(`teardown complete: nothing of run ${runId} is left`)
    } else {
      log.warn(`teardown incomplete for run ${runId}: run ./ccci janitor`)
    }
  }
  return report
}
