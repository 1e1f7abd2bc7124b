import { redact } from './redaction/redact.ts'

/**
 * Progress and diagnostics on stderr, one line each, prefixed with the scope. Every line is
 * redacted. `CCCI_DEBUG=1` shows debug lines.
 */
export interface Logger {
  step(message: string): void
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
}

function stamp(): string {
  return new Date().toISOString().slice(11, 19)
}

function write(scope: string, level: string, message: string): void {
  const prefix = `${stamp()} ccci${scope === '' ? '' : `:${scope}`}${level}`
  process.stderr.write(`${redact(message).replace(/^/gm, `${prefix} `)}\n`)
}

export function createLogger(scope = ''): Logger {
  return {
    step: (message) => write(scope, ' ▶', message),
    info: (message) => write(scope, '', message),
    warn: (message) => write(scope, ' WARN', message),
    debug: (message) => {
      if (process.env.CCCI_DEBUG === '1') {
        write(scope, ' debug', message)
      }
    },
  }
}
