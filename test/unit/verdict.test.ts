import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { readRunOutput, type RunOutput } from '../../harness/bridge/run-output.ts'
import { decideVerdict } from '../../harness/bridge/verdict.ts'
import { isCcciError } from '../../harness/errors.ts'

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return undefined
}

function output(ok: boolean): RunOutput {
  return {
    dir: '/tmp/x',
    summary: `### cc-ci: hello @ abcdef12: ${ok ? '✅ passed' : '❌ failed'} (level 3/5)\n\n\`LIFECYCLE install: pass\`\n`,
    result: {
      version: 1,
      runId: 'hello-1',
      recipe: 'hello',
      source: { commit: 'abcdef1234', pr: '4' },
      lifecycle: 'LIFECYCLE install: pass',
      level: 3,
      ok,
      tiers: [
        {
          tier: 'install',
          status: ok ? 'pass' : 'fail',
          tests: ok
            ? []
            : [
                {
                  name: 'serves',
                  file: 'generic/install/x.test.ts',
                  state: 'failed',
                  message: 'boom',
                },
              ],
        },
      ],
    },
  }
}

const base = {
  missing: undefined,
  exitCode: 0,
  logLink: 'https://ci/o/r/7',
  statusContext: 'cc-ci',
}

test('a full run that passed sets success on the full-run context and posts the summary with the logs', () => {
  const v = decideVerdict({ ...base, output: output(true), quick: false })
  expect(v).toMatchObject({ state: 'success', context: 'cc-ci', description: 'passed, level 3/5' })
  expect(v.comment).toContain('LIFECYCLE install: pass')
  expect(v.comment).toContain('[the build log](https://ci/o/r/7)')
})

test('a failed run sets failure and counts the failing tests', () => {
  const v = decideVerdict({ ...base, output: output(false), quick: false })
  expect(v).toMatchObject({
    state: 'failure',
    context: 'cc-ci',
    description: 'failed, level 3/5: 1 failing test(s)',
  })
})

test('a quick run never passes the full-run status: its own context, a pass is only a warning', () => {
  const pass = decideVerdict({ ...base, output: output(true), quick: true })
  expect(pass).toMatchObject({ state: 'warning', context: 'cc-ci/quick' })
  expect(pass.comment).toMatch(/quick run.*lower confidence/)
  expect(decideVerdict({ ...base, output: output(false), quick: true })).toMatchObject({
    state: 'failure',
    context: 'cc-ci/quick',
  })
})

test('no result is an error; a recorded pass with a non-zero exit is not a pass', () => {
  const none = decideVerdict({
    ...base,
    output: undefined,
    missing: 'It stopped.',
    exitCode: 1,
    quick: false,
  })
  expect(none).toMatchObject({ state: 'error', context: 'cc-ci' })
  expect(none.comment).toContain('It stopped.')
  expect(none.comment).toContain('exit code 1')
  expect(decideVerdict({ ...base, output: output(true), exitCode: 1, quick: false }).state).toBe(
    'failure',
  )
})

test('result.json and summary.md are read through their schemas', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ccci-verdict-'))
  try {
    writeFileSync(
      join(dir, 'result.json'),
      JSON.stringify({ ...output(true).result, extra: 'kept out' }),
    )
    writeFileSync(join(dir, 'summary.md'), output(true).summary)
    expect(readRunOutput(dir).result.recipe).toBe('hello')
    writeFileSync(join(dir, 'summary.md'), '<script>not a summary</script>')
    const error = thrown(() => readRunOutput(dir))
    expect(isCcciError(error, 'CCCI_VERDICT_INPUT')).toBe(true)
    expect(String(error)).toMatch(/summary.md: not a cc-ci summary/)
    writeFileSync(join(dir, 'summary.md'), output(true).summary)
    writeFileSync(join(dir, 'result.json'), JSON.stringify({ version: 2 }))
    expect(() => readRunOutput(dir)).toThrow(/result.json/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
