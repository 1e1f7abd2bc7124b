import type { Vitest } from 'vitest/node'
import { describeError } from '../errors.ts'
import type { Logger } from '../log.ts'

/**
 * SIGINT/SIGTERM cancel the run and close Vitest, which runs the teardown; the exit code says
 * which signal it was (130/143). A second signal quits at once.
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
      onSignal(signal)
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
