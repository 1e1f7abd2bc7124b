import { join } from 'node:path'
import { loadSettings } from '../config/settings.ts'
import type { AppDriver, AppRef } from '../driver/app-driver.ts'
import { httpFailure, httpRequest, type HttpOptions, type HttpResponse } from '../http/index.ts'
import { createLogger, type Logger } from '../log.ts'
import { appRef, createDriver } from '../driver/driver-factory.ts'
import { ownerLabels } from '../janitor/owner-labels.ts'
import { pollRounds } from '../poll.ts'
import { loadRunSecrets, recordSecret } from '../run/run-secrets.ts'
import { readState, updateState } from '../run/state.ts'
import type { RunContext } from '../vitest/context.ts'

/**
 * What a tier test (generic, recipe or repo-local) works with: the deployed app, its driver,
 * HTTPS through the proxy, and the run's shared data.
 */
export interface AppHandle {
  run: RunContext
  app: AppRef
  driver: AppDriver
  log: Logger
  /** GET (or other method) on the app, path relative to its URL, trusting the host's CA. */
  http: (path: string, options?: HttpOptions) => Promise<HttpResponse>
  /** Polls `path` until `accept(response)` or the deadline; returns the last response or throws the last error. */
  waitForHttp: (
    path: string,
    accept: (response: HttpResponse) => boolean,
    timeoutMs?: number,
  ) => Promise<HttpResponse>
  /** Runs a command in a running container of a service. */
  exec: (
    service: string,
    command: string[],
  ) => Promise<{ exitCode: number; stdout: string; stderr: string }>
  /** A value an earlier tier or hook stored. */
  get: <T = unknown>(key: string) => T | undefined
  set: (key: string, value: unknown) => void
}

/** The driver of a run, in any of its processes: owner labels, backups and secrets go with the run. */
export function runDriver(
  run: Pick<RunContext, 'runId' | 'recipe' | 'runDir' | 'driver' | 'hostAccess'>,
  log: Logger,
): AppDriver {
  return createDriver(run.driver, {
    ownerLabels: ownerLabels(run.runId, run.recipe, loadSettings().home),
    log,
    backupDir: join(run.runDir, 'backups'),
    onSecretValue: (value) => recordSecret(run.runDir, value),
    hostAccess: run.hostAccess,
  })
}

/** The handle of the run's app; `driver` when the caller has one already (the global setup). */
export function appHandle(run: RunContext, driver?: AppDriver, logger?: Logger): AppHandle {
  const settings = loadSettings()
  loadRunSecrets(run.runDir)
  const log = logger ?? createLogger(run.recipe)
  const app = appRef(settings, run.recipe, run.domain, run.recipeDir)
  driver ??= runDriver(run, log)
  const http = (path: string, options: HttpOptions = {}) =>
    httpRequest(new URL(path.replace(/^\//, ''), run.url).toString(), {
      ca: run.ca,
      loopbackSuffix: run.loopbackSuffix,
      ...options,
    })
  return {
    run,
    app,
    driver,
    log,
    http,
    async waitForHttp(path, accept, timeoutMs = 60_000) {
      let last: HttpResponse | undefined
      let lastError = 'no answer'
      for await (const round of pollRounds({ timeoutMs, intervalMs: 1_000 })) {
        if (round.expired()) {
          break
        }
        try {
          last = await http(path, { timeoutMs: 10_000 })
          if (accept(last)) {
            return last
          }
        } catch (error) {
          lastError = httpFailure(error)
        }
      }
      if (last !== undefined) {
        return last
      }
      throw new Error(
        `${run.url}${path.replace(/^\//, '')} did not answer within ${Math.round(timeoutMs / 1000)}s: ${lastError}`,
      )
    },
    exec: (service, command) => driver.run(app, service, command),
    get: <T>(key: string) => readState(run.runDir).data[key] as T | undefined,
    set: (key, value) => {
      updateState(run.runDir, (state) => {
        state.data[key] = value
      })
    },
  }
}
