import { redact } from './redact.ts'

type AnyWrite = (chunk: unknown, ...rest: unknown[]) => boolean

/**
 * From now on, everything this process prints (Vitest's reporters, relayed test output, cc-ci's
 * own logs) is redacted against the run's secret values before it reaches the terminal or CI log.
 */
export function redactProcessOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as unknown as AnyWrite
    const patched: AnyWrite = (chunk, ...rest) => {
      const text =
        typeof chunk === 'string'
          ? chunk
          : Buffer.isBuffer(chunk)
            ? chunk.toString('utf8')
            : undefined
      return original(text === undefined ? chunk : redact(text), ...rest)
    }
    stream.write = patched
  }
}
