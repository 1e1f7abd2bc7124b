import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, test } from 'vitest'
import { formatCommand, shellQuote, startCommand, tryCommand } from '../../harness/process/index.ts'

const root = join(import.meta.dirname, '..', '..')

/**
 * A child that writes `é` as two separate chunks (its two UTF-8 bytes 150 ms apart), then a line,
 * then a last line without a newline; and on stderr a `✓` split the same way and no newline.
 */
const SPLIT_WRITER = `
const out = (b) => process.stdout.write(b), err = (b) => process.stderr.write(b)
const e = Buffer.from('é'), check = Buffer.from('✓')
out(e.subarray(0, 1)); err(check.subarray(0, 2))
setTimeout(() => {
  out(e.subarray(1)); out(' first\\nsecond\\r\\nlast without newline')
  err(check.subarray(2)); err(' err only line')
}, 150)
`

function collect(): {
  lines: Record<'stdout' | 'stderr', string[]>
  onLine: (line: string, stream: 'stdout' | 'stderr') => void
} {
  const lines = { stdout: [] as string[], stderr: [] as string[] }
  return { lines, onLine: (line, stream) => lines[stream].push(line) }
}

describe('output lines of external commands', () => {
  test('onLine sees whole characters and the last line without a newline; output is unchanged', async () => {
    const { lines, onLine } = collect()
    const result = await tryCommand(process.execPath, ['-e', SPLIT_WRITER], {
      timeoutMs: 10_000,
      onLine,
    })
    expect(lines.stdout).toEqual(['é first', 'second', 'last without newline'])
    expect(lines.stderr).toEqual(['✓ err only line'])
    expect(result.stdout).toBe('é first\nsecond\r\nlast without newline')
    expect(result.stderr).toBe('✓ err only line')
  })

  test('the same with stdout kept as bytes', async () => {
    const { lines, onLine } = collect()
    const result = await tryCommand(process.execPath, ['-e', SPLIT_WRITER], {
      timeoutMs: 10_000,
      onLine,
      binary: true,
    })
    expect(lines.stdout).toEqual(['é first', 'second', 'last without newline'])
    expect(lines.stderr).toEqual(['✓ err only line'])
    expect(result.stdoutBuffer?.toString('utf8')).toBe('é first\nsecond\r\nlast without newline')
  })

  test('a started command keeps whole characters and every line of both streams', async () => {
    const started = startCommand(process.execPath, ['-e', SPLIT_WRITER], { timeoutMs: 10_000 })
    const result = await started.result
    expect(result.exitCode).toBe(0)
    const output = started.output()
    expect(output).not.toContain('\ufffd')
    // Lines of the two streams interleave as they come, each whole.
    expect(output.split(/\r?\n/).sort()).toEqual(
      ['é first', 'second', 'last without newline', '✓ err only line'].sort(),
    )
    expect(result.stdout).toBe('é first\nsecond\r\nlast without newline')
  })
})

describe('shell quoting', () => {
  test('one helper quotes for the shell, and formatCommand uses it', () => {
    expect(shellQuote('plain-1.0+x')).toBe('plain-1.0+x')
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
    expect(shellQuote('')).toBe(`''`)
    expect(formatCommand('echo', ['a b', "it's"])).toBe(`echo 'a b' 'it'\\''s'`)
  })

  test('no other file of harness/ quotes for the shell by itself', () => {
    const files: string[] = []
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) {
          walk(path)
        } else if (entry.name.endsWith('.ts')) {
          files.push(path)
        }
      }
    }
    walk(join(root, 'harness'))
    // The idiom of every single-quoting function: ' becomes '\''.
    const quoting = files.filter((file) => readFileSync(file, 'utf8').includes(`'\\\\''`))
    expect(quoting.map((file) => relative(root, file))).toEqual(['harness/process/shell-quote.ts'])
  })
})
