/**
 * Typed errors. Every error cc-ci raises says what failed, carries the evidence (command, exit
 * code, stderr tail, service logs...) and ends with what to do next, because somebody will read it
 * at 2 a.m. Match on `code`, never on the message.
 */
import type { ErrorCode } from './error-codes.ts'

export interface Evidence {
  /** A short label, e.g. `stderr (last 20 lines)` or `service logs: app`. */
  label: string
  text: string
}

export interface CcciErrorOptions {
  /** What the reader should do next. Printed last. */
  hint?: string
  evidence?: Evidence[]
  cause?: unknown
}

export class CcciError extends Error {
  readonly code: ErrorCode
  readonly hint: string | undefined
  readonly evidence: Evidence[]

  constructor(code: ErrorCode, message: string, options: CcciErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.name = 'CcciError'
    this.code = code
    this.hint = options.hint
    this.evidence = options.evidence ?? []
  }

  /** The message, the evidence and the hint, ready to print. */
  report(): string {
    const parts = [`${this.message} [${this.code}]`]
    for (const e of this.evidence) {
      if (e.text.trim() !== '') {
        parts.push(`--- ${e.label} ---\n${e.text.trimEnd()}`)
      }
    }
    if (this.hint !== undefined) {
      parts.push(`What to do: ${this.hint}`)
    }
    return parts.join('\n')
  }
}

export function isCcciError(error: unknown, code?: ErrorCode): error is CcciError {
  return error instanceof CcciError && (code === undefined || error.code === code)
}

/** Last `n` non-empty lines of a text, for evidence. */
export function tail(text: string, n = 20): string {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join('\n')
}

/** The printable text of anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof CcciError) {
    return error.report()
  }
  if (error instanceof Error) {
    return error.message
  }
  return String(error)
}
