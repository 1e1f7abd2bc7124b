import { redact, REDACTED } from '../redaction/redact.ts'
import { isSecretKey } from '../redaction/secret-keys.ts'

/**
 * A redactor for every file of the bundle: the run's known secrets (harness/redaction), then the
 * app env's plain values that its key names say are secrets, wherever they appear (a log line, the
 * rendered compose).
 */
export function bundleRedactor(envSecrets: readonly string[]): (text: string) => string {
  const values = [...new Set(envSecrets)].sort((a, b) => b.length - a.length)
  return (text) => values.reduce((out, value) => out.replaceAll(value, REDACTED), redact(text))
}

/** The app env as `KEY=value` lines, secret-named values replaced, everything else redacted. */
export function formatRedactedEnv(
  env: Readonly<Record<string, string>>,
  redactText: (text: string) => string,
): string {
  return Object.entries(env)
    .map(([key, value]) => `${key}=${isSecretKey(key) && value !== '' ? REDACTED : value}`)
    .map(redactText)
    .join('\n')
    .concat('\n')
}

/** Applies a redactor to every string (and key) inside a JSON-like value, so it stays valid. */
export function redactTree(value: unknown, redactText: (text: string) => string): unknown {
  if (typeof value === 'string') {
    return redactText(value)
  }
  if (Array.isArray(value)) {
    return value.map((inner) => redactTree(inner, redactText))
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [redactText(key), redactTree(inner, redactText)]),
    )
  }
  return value
}
