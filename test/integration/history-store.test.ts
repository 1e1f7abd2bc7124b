import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readHistory } from '../../harness/history/history-store.ts'
import { runCommand, tryCommand } from '../../harness/process/index.ts'
import { REPO_ROOT } from '../support/fixtures.ts'

let home: string
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ccci-history-int-'))
})
afterAll(() => {
  rmSync(home, { recursive: true, force: true })
})

/** `./ccci history ...` with this test's CCCI_HOME, literally. */
const ccciHistory = (...args: string[]) =>
  tryCommand('bash', [join(REPO_ROOT, 'ccci'), 'history', ...args], {
    cwd: REPO_ROOT,
    timeoutMs: 120_000,
    env: { CCCI_HOME: home, CCCI_QUIET: '1' },
  })

describe('the history store under concurrent runs', () => {
  test('processes appending large lines at once never interleave them', async () => {
    // Each line is ~200 KB: far beyond any pipe buffer, so only one write() per line keeps it whole.
    const script = `
      import { appendHistory } from ${JSON.stringify(join(REPO_ROOT, 'harness/history/history-store.ts'))}
      import { historyRecord } from ${JSON.stringify(join(REPO_ROOT, 'test/support/history-records.ts'))}
      const writer = process.env.WRITER
      for (let i = 0; i < 20; i++) {
        appendHistory(process.env.CCCI_HOME, historyRecord({
          runId: \`w\${writer}-\${i}\`,
          lifecycle: \`LIFECYCLE \${writer.repeat(200_000)}\`,
        }))
      }
    `
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((writer) =>
        runCommand(process.execPath, ['--input-type=module', '-e', script], {
          cwd: REPO_ROOT,
          timeoutMs: 120_000,
          env: { CCCI_HOME: home, WRITER: writer },
        }),
      ),
    )
    const warnings: string[] = []
    const records = readHistory(home, 'tiny-html', (m) => warnings.push(m))
    expect(warnings).toEqual([])
    expect(records).toHaveLength(80)
    for (const r of records) {
      const writer = r.runId[1] ?? '?'
      expect(r.lifecycle, r.runId).toBe(`LIFECYCLE ${writer.repeat(200_000)}`)
    }
  })
})

describe('ccci history', () => {
  test('a recipe without runs: a clear error naming the file', async () => {
    const run = await ccciHistory('no-runs-here')
    expect(run.exitCode).not.toBe(0)
    expect(run.stderr).toContain(
      `no runs of no-runs-here recorded yet in ${join(home, 'history', 'no-runs-here.jsonl')}; runs append here when they finish`,
    )
    expect(run.stderr).toContain('CCCI_NO_HISTORY')
  })
  test('--limit must be a number; a path is not a recipe', async () => {
    expect((await ccciHistory('tiny-html', '--limit', 'ten')).stderr).toContain('--limit takes')
    expect((await ccciHistory('../x')).stderr).toContain('not a recipe name')
  })
})
