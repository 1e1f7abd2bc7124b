import { CcciError } from '../errors.ts'
import { TierSkip } from './tier-definition.ts'

/** Stops a setup step or an operation between two of its actions once the run is interrupted. */
export function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new CcciError('CCCI_INTERRUPTED', 'the run was interrupted during setup', {
      hint: 'the teardown removes what the run created; run it again',
    })
  }
}

/**
 * The signal the main process sends a tier worker when the run is interrupted (SIGINT/SIGTERM):
 * "abandon the tier operation in flight". Vitest's own cancel only stops new tests.
 */
export const WORKER_INTERRUPT = 'SIGUSR2'

let interruption: AbortController | undefined

/** Aborted when this worker receives {@link WORKER_INTERRUPT}; installs the handler once. */
export function workerInterruption(): AbortSignal {
  if (interruption === undefined) {
    const controller = new AbortController()
    interruption = controller
    process.on(WORKER_INTERRUPT, () => controller.abort())
  }
  return interruption.signal
}

/**
 * `work`, unless the run is interrupted first: then the tier is skipped ("the run was
 * interrupted") and `work` is abandoned (the teardown removes whatever it created).
 */
export async function untilInterrupted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  let stop: (() => void) | undefined
  const interrupted = new Promise<never>((_resolve, reject) => {
    stop = () => reject(new TierSkip('the run was interrupted'))
    if (signal.aborted) {
      stop()
    }
    signal.addEventListener('abort', stop, { once: true })
  })
  try {
    return await Promise.race([work, interrupted])
  } finally {
    if (stop !== undefined) {
      signal.removeEventListener('abort', stop)
    }
  }
}
