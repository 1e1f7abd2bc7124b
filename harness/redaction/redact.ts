import { existsSync, readFileSync } from 'node:fs'

/**
 * Secret values known to this process. Anything cc-ci prints or writes (logs, errors, results,
 * PR comments) goes through `redact()`, so a secret never leaves the run in clear text.
 */
const known = new Set<string>()
const MIN_LENGTH = 4

export const REDACTED = '[REDACTED]'

export function registerSecret(value: string): void {
  if (value.length >= MIN_LENGTH) {
    known.add(value)
  }
}

/** Registers the secrets a run recorded in its redaction file (one JSON array). */
export function loadSecretsFile(file: string): void {
  if (!existsSync(file)) {
    return
  }
  const values: unknown = JSON.parse(readFileSync(file, 'utf8'))
  if (Array.isArray(values)) {
    for (const value of values) {
      if (typeof value === 'string') {
        registerSecret(value)
      }
    }
  }
}

export function redact(text: string): string {
  let result = text
  for (const value of [...known].sort((a, b) => b.length - a.length)) {
    result = result.replaceAll(value, REDACTED)
  }
  return result
}

/**
 * Redacts every string inside a JSON-like value (object keys included), value by value: a secret
 * holding `"` or `\` is found as it is, not as its JSON-escaped form. Other values are kept.
 */
export function redactDeep<T>(value: T): T {
  if (known.size === 0) {
    return value
  }
  return redactValue(value) as T
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') {
    return redact(value)
  }
  if (Array.isArray(value)) {
    return value.map(redactValue)
  }
  if (value !== null && typeof value === 'object' && isPlain(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [redact(key), redactValue(inner)]),
    )
  }
  return value
}

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
