import { CcciError } from '../errors.ts'

/** Stops a setup step or an operation between two of its actions once the run is interrupted. */
export function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new CcciError('CCCI_INTERRUPTED', 'the run was interrupted during setup', {
      hint: 'the teardown removes what the run created; run it again',
    })
  }
}
