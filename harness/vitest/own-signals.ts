import type { Vitest } from 'vitest/node'
import { describeError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { killTrees, listProcesses } from '../process/index.ts'
import { WORKER_INTERRUPT } from '../run/interrupted.ts'

/**
 * The Vitest workers of this process (its `vitest/dist/workers/` children). A tier operation in
 * a worker (an upgrade's deploy, a hook that hangs) does not notice Vitest cancelling the run, and
 * Vitest waits for it: the workers are stopped instead, with whatever they started.
 */
export function tierWorkers(mainPid: number, processes = listProcesses()): number[] {
  return processes
    .filter(
      (p) =>
        p.ppid === mainPid &&
        /[/\\]vitest[/\\]dist[/\\]workers[/\\]/.test(p.command) &&
        !p.command.includes('watchdog'),
    )
    .map((p) => p.pid)
}

/** How long the tier workers get to abandon what they do before they are killed. */
const WORKER_GRACE_MS = 15_000

/**
 * Cancels the run: no new test starts, and each tier worker abandons its tier operation
 * ({@link WORKER_INTERRUPT}); a worker still busy after {@link WORKER_GRACE_MS} (a test that
 * ignores the cancel) is killed with whatever it started.
 */
async function cancelRun(vitest: Vitest, log: Logger): Promise<void> {
  for (const pid of tierWorkers(process.pid)) {
    try {
      process.kill(pid, WORKER_INTERRUPT)
    } catch {
      // Already gone.
    }
  }
  const cancelled = vitest.cancelCurrentRun('keyboard-input')
  let timer: NodeJS.Timeout | undefined
  const late = await Promise.race([
    cancelled.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), WORKER_GRACE_MS))),
  ])
  clearTimeout(timer)
  if (late) {
    log.warn(`a test did not stop within ${WORKER_GRACE_MS / 1000}s of the cancel: stopping it`)
    killTrees(tierWorkers(process.pid))
    await cancelled
  }
}

/**
 * SIGINT/SIGTERM cancel the run ({@link cancelRun}: the tier operation in flight is abandoned),
 * and Vitest closes, which runs the teardown; the exit code says which signal it was
 * (130/143). A second signal quits at once.
 */
export function ownSignals(
  vitest: Vitest,
  log: Logger,
  onSignal: (signal: 'SIGINT' | 'SIGTERM') => void,
): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal)
    process.once(signal, () => {
      const code = signal === 'SIGINT' ? 130 : 143
      // Vitest exits on its own once the cancelled run closed; whoever exits first, the code says why.
      const exit = process.exit.bind(process)
      process.exit = () => exit(code)
      process.exitCode = code
      // Vitest may end the process on its own with a code of its own: the signal's code wins.
      process.on('exit', () => {
        process.exitCode = code
      })
      onSignal(signal)
      log.warn(
        `${signal}: cancelling the run and cleaning up (send ${signal} again to quit at once, then run ./ccci janitor)`,
      )
      process.once(signal, () => process.exit(code))
      void (async () => {
        try {
          await cancelRun(vitest, log)
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
