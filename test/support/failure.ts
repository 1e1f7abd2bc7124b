import { CcciError } from '../../harness/errors.ts'

/** The typed error `pending` rejects with; anything else (or success) fails the test. */
export async function failure(pending: Promise<unknown>): Promise<CcciError> {
  try {
    await pending
  } catch (error) {
    if (error instanceof CcciError) {
      return error
    }
    throw error
  }
  throw new Error('expected a CcciError, the call succeeded')
}
