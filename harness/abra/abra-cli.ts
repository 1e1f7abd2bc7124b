import type { AppRef } from '../driver/app-driver.ts'
import type { Logger } from '../log.ts'
import { prepareAbraDir } from './app-abra-dir.ts'
import { abraError, runAbra, type AbraErrorOptions, type AbraOutput } from './run-abra.ts'

/** Deadlines of abra commands, in milliseconds. */
export interface AbraTimeouts {
  /** Any command not listed below (app new, secrets, ls, ps, run, lint...). Default 2 min. */
  command: number
  /** `app deploy` when the caller gives no convergence deadline. Default 15 min. */
  deploy: number
  /** `app undeploy` and the wait until the stack is gone. Default 3 min. */
  undeploy: number
  /** `app backup create`, `download` and `app restore`. Default 30 min. */
  backup: number
  /** `app logs`, which follows the logs: its output is taken when this deadline ends. Default 15 s. */
  logs: number
}

export const DEFAULT_TIMEOUTS: AbraTimeouts = {
  command: 120_000,
  deploy: 900_000,
  undeploy: 180_000,
  backup: 1_800_000,
  logs: 15_000,
}

export interface CallOptions {
  timeoutMs?: number
  cwd?: string
  /** Log each output line (never for commands whose output holds secrets). */
  progress?: boolean
}

export interface AbraCliOptions {
  bin: string
  workDir: string
  ownerLabels: Record<string, string>
  log: Logger
  timeouts?: Partial<AbraTimeouts>
}

/**
 * abra commands of one driver: each under a pseudo-terminal, with its deadline, in the app's own
 * ABRA_DIR, with the run's owner labels exported for the test double.
 */
export class AbraCli {
  readonly timeouts: AbraTimeouts
  readonly #options: AbraCliOptions

  constructor(options: AbraCliOptions) {
    this.#options = options
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
  }

  /** The environment of every abra command of this app. */
  #env(app: AppRef): Record<string, string> {
    return {
      ABRA_DIR: prepareAbraDir(app, this.#options.workDir),
      // Harmless for the real abra; the test double labels what it creates with these.
      CCCI_OWNER_LABELS: JSON.stringify(this.#options.ownerLabels),
      NO_COLOR: '1',
      COLUMNS: '250',
    }
  }

  async call(app: AppRef, args: string[], options: CallOptions = {}): Promise<AbraOutput> {
    const log = this.#options.log
    const result = await runAbra({
      bin: this.#options.bin,
      args,
      env: this.#env(app),
      timeoutMs: options.timeoutMs ?? this.timeouts.command,
      cwd: options.cwd,
      onLine:
        options.progress === true
          ? (line) => {
              if (line.trim() !== '') {
                log.info(`  ${line}`)
              }
            }
          : undefined,
    })
    log.debug(
      `${result.command}: ${result.timedOut ? 'killed at its deadline' : `exit ${result.exitCode}`} after ${result.durationMs} ms`,
    )
    return result
  }

  /** Runs an abra command and throws the typed error unless it exits 0 in time. */
  async run(
    app: AppRef,
    args: string[],
    options: CallOptions & AbraErrorOptions = {},
  ): Promise<AbraOutput> {
    const result = await this.call(app, args, options)
    if (result.timedOut || result.exitCode !== 0) {
      throw abraError(result, options)
    }
    return result
  }
}
