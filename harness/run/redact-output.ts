import { redact } from '../redact.ts'

type Write = typeof process.stdout.write

/**
 * From now on, everything this process prints (Vitest's reporters, relayed test output, cc-ci's
 * own logs) is redacted against the run's secret values before it reaches the terminal or CI log.
 */
export function redactProcessOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as Write
    const patched = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined
      return text === undefined
        ? (original as (...args: unknown[]) => boolean)(chunk, ...rest)
        : (original as (...args: unknown[]) => boolean)(redact(text), ...rest)
    }) as Write
    stream.write = patched
  }
}
