import type { ErrorCode } from './error-codes.ts'
import { CcciError, describeError, type Evidence } from './errors.ts'

/**
 * A `CcciError` as plain data, to cross from where it was caught (a Vitest config) to where it is
 * raised (the global setup) without being wrapped in a second error.
 */
export interface ErrorData {
  code: ErrorCode
  message: string
  hint: string | undefined
  evidence: Evidence[]
}

/** `error` as data; anything that is not a `CcciError` gets `code` and its printable text. */
export function errorData(error: unknown, code: ErrorCode): ErrorData {
  if (error instanceof CcciError) {
    return { code: error.code, message: error.message, hint: error.hint, evidence: error.evidence }
  }
  return { code, message: describeError(error), hint: undefined, evidence: [] }
}

/** The same error again, once: its code, message and evidence, with `more` added to its hint. */
export function errorFromData(data: ErrorData, more?: string): CcciError {
  const hints = [data.hint, more].filter((h): h is string => h !== undefined && h !== '')
  return new CcciError(data.code, data.message, {
    hint: hints.length === 0 ? undefined : hints.join('; '),
    evidence: data.evidence,
  })
}
