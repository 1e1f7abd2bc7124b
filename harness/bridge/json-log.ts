import { redactDeep } from '../redaction/redact.ts'

/** One structured log line: `{"time":..., "level":..., "event":..., ...fields}`, redacted. */
export type JsonLog = (
  level: 'info' | 'warn' | 'error',
  event: string,
  fields?: Record<string, unknown>,
) => void

/** JSON lines on a stream (stdout by default); every string is redacted first. */
export function jsonLogger(
  write: (line: string) => void = (l) => process.stdout.write(l),
): JsonLog {
  return (level, event, fields = {}) => {
    const line = redactDeep({ time: new Date().toISOString(), level, event, ...fields })
    write(`${JSON.stringify(line)}\n`)
  }
}
