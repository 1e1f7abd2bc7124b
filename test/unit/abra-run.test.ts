import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { abraError, runAbra } from '../../harness/abra/index.ts'
import { shellQuote } from '../../harness/process/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'ccci-abra-run-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A stand-in abra: a shell script with this body. */
function stub(name: string, body: string): string {
  const path = join(dir, name)
  writeFileSync(path, `#!/bin/sh\n${body}\n`)
  chmodSync(path, 0o755)
  return path
}

describe('abra under a pseudo-terminal', () => {
  test('runs with a terminal on stdin and stdout, output cleaned, exit status kept', async () => {
    const bin = stub(
      'tty',
      'test -t 0 && test -t 1 && echo "terminal: yes"; printf "\\033[31mWARN\\033[0m red\\n" >&2; exit 3',
    )
    const result = await runAbra({ bin, args: [], env: {}, timeoutMs: 10_000 })
    expect(result.exitCode).toBe(3)
    expect(result.timedOut).toBe(false)
    expect(result.output).toBe('terminal: yes\nWARN red\n')
  })

  test('arguments reach abra exactly, whatever they hold', async () => {
    const bin = stub('args', 'for a in "$@"; do printf "<%s>\\n" "$a"; done')
    const args = ["it's", '$HOME', '"quoted"', 'a b', '', '--', '-n', '`id`', ';ls']
    const result = await runAbra({ bin, args, env: {}, timeoutMs: 10_000 })
    expect(result.output.trimEnd().split('\n')).toEqual(args.map((a) => `<${a}>`))
    expect(shellQuote('plain-1.0+x')).toBe('plain-1.0+x')
  })

  test('the environment reaches abra', async () => {
    const bin = stub('env', 'echo "$ABRA_DIR|$CCCI_OWNER_LABELS"')
    const result = await runAbra({
      bin,
      args: [],
      env: { ABRA_DIR: '/x/y', CCCI_OWNER_LABELS: '{"a":"b"}' },
      timeoutMs: 10_000,
    })
    expect(result.output.trim()).toBe('/x/y|{"a":"b"}')
  })

  test('a hung abra is killed at its deadline and the error names the command', async () => {
    const bin = stub('hang', 'echo started; exec sleep 300')
    const result = await runAbra({ bin, args: ['app', 'ls', '-m'], env: {}, timeoutMs: 1_500 })
    expect(result.timedOut).toBe(true)
    const error = abraError(result)
    expect(error.code).toBe('CCCI_ABRA_TIMEOUT')
    expect(error.message).toBe(`\`${bin} app ls -m\` did not finish within 2s and was killed`)
    expect(error.report()).toContain('started')
  }, 30_000)

  test('an abra that is not installed says so', async () => {
    const result = await runAbra({
      bin: 'ccci-no-such-abra',
      args: ['app', 'ls'],
      env: {},
      timeoutMs: 10_000,
    })
    const error = abraError(result)
    expect(error.message).toBe('`ccci-no-such-abra app ls` exited 127: abra: command not found')
    expect(error.hint).toContain('CCCI_DRIVER=swarm')
  })

  test('a failure says what abra said', () => {
    const error = abraError({
      command: 'abra app deploy x',
      exitCode: 1,
      output: 'INFO trying\nFATA deploy failed\n',
      timedOut: false,
      durationMs: 10,
      timeoutMs: 1000,
    })
    expect(error.code).toBe('CCCI_ABRA_FAILED')
    expect(error.message).toBe('`abra app deploy x` exited 1: deploy failed')
  })

  test('output that may hold secrets shows only abra messages', () => {
    const error = abraError(
      {
        command: 'abra app secret generate x --all -m',
        exitCode: 1,
        output: '[{"name":"a","value":"hunter2-hunter2"}]\nFATA cannot store a\n',
        timedOut: false,
        durationMs: 10,
        timeoutMs: 1000,
      },
      { secretOutput: true },
    )
    expect(error.report()).toContain('FATA cannot store a')
    expect(error.report()).not.toContain('hunter2')
  })
})
