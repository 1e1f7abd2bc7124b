import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, expectTypeOf, test } from 'vitest'
import { HistoryRecord, TIER_STATUSES } from '../../harness/history/history-record.ts'
import { diagnosticsPath, historyRecordOf } from '../../harness/history/history-record-of.ts'
import {
  appendHistory,
  historyFile,
  historyRecipes,
  parseHistory,
  readHistory,
} from '../../harness/history/history-store.ts'
import {
  historyTable,
  formatDuration,
  refLabel,
  tierMarks,
} from '../../harness/history/history-table.ts'
import { phaseBudgets, slowPhaseLine, slowPhases } from '../../harness/history/phase-budgets.ts'
import { recordRunHistory } from '../../harness/history/record-run-history.ts'
import { runPhases } from '../../harness/history/run-phases.ts'
import { runOrigin } from '../../harness/history/run-trigger.ts'
import type { Logger } from '../../harness/log.ts'
import { registerSecret } from '../../harness/redaction/redact.ts'
import { decideResult } from '../../harness/results/decide-result.ts'
import { summaryMarkdown, type RunResult } from '../../harness/results/report-files.ts'
import type { TierStatus } from '../../harness/results/tier-results.ts'
import type { OpOutcome } from '../../harness/run/state.ts'
import { TIERS, type Tier } from '../../harness/run/tier-names.ts'
import { historyRecord } from '../support/history-records.ts'
import { passedTallies, passedTest, resultInput } from '../support/run-results.ts'

/** A real verdict (decideResult), every tier passed unless `failed` names one. */
function runResult(overrides: { runId?: string; failed?: Tier; ref?: string } = {}): RunResult {
  const tallies = passedTallies(1000)
  if (overrides.failed !== undefined) {
    const test = {
      ...passedTest(overrides.failed, 1000),
      state: 'failed' as const,
      message: 'boom',
    }
    tallies.set(overrides.failed, { tests: [test], errors: [] })
  }
  return decideResult(
    resultInput({
      run: {
        runId: overrides.runId ?? 'tiny-html-1',
        domain: 'tiny.ccci.localhost',
        headCommit: '0123456789abcdef0123',
        baseVersion: undefined,
      },
      source: { src: '/src', ref: overrides.ref, pr: '12' },
      tallies,
      startedAt: '2026-11-30T10:00:00.000Z',
      finishedAt: '2026-11-30T10:02:00.000Z',
    }),
  )
}

const op = (startedAt: string, durationMs: number): OpOutcome => ({
  status: 'pass',
  startedAt,
  durationMs,
  details: {},
})

let seq = 0
/** A history line; `phases` in seconds for readability. */
function record(
  phases: Partial<Record<string, number>>,
  overrides: Partial<HistoryRecord> = {},
): HistoryRecord {
  seq += 1
  const finishedAt = new Date(Date.UTC(2026, 10, 1) + seq * 60_000).toISOString()
  return historyRecord({
    runId: `run-${seq}`,
    ref: null,
    commit: 'abcdef0123456789',
    trigger: 'local',
    pr: 'local',
    triggeredBy: null,
    startedAt: finishedAt,
    finishedAt,
    lifecycle: 'LIFECYCLE install: pass',
    tiers: TIERS.map((tier) => ({ tier, status: 'pass' })),
    phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, (v ?? 0) * 1000])),
    resultsDir: '/results/x',
    ...overrides,
  })
}

const greens = (n: number, backupS: number) =>
  Array.from({ length: n }, () => record({ backup: backupS, total: 100 }))

describe('phase budgets', () => {
  test('fewer than 5 green runs of the mode: no budget', () => {
    expect(phaseBudgets(greens(4, 10), 'backup', 'cold')).toBeUndefined()
    expect(phaseBudgets(greens(5, 10), 'backup', 'quick')).toBeUndefined()
  })
  test('typical is the median of green runs; a short phase gets 30 s of slack', () => {
    const history = [...greens(2, 10), record({ backup: 12 }), ...greens(2, 14)]
    expect(phaseBudgets(history, 'backup', 'cold')).toEqual({
      typicalMs: 12_000,
      budgetMs: 42_000,
      runs: 5,
    })
  })
  test('a long phase gets twice its typical time', () => {
    expect(phaseBudgets(greens(6, 100), 'backup', 'cold')?.budgetMs).toBe(200_000)
  })
  test('failed runs, the other mode and runs without the phase do not count', () => {
    const history = [
      ...greens(5, 10),
      record({ backup: 500 }, { ok: false }),
      record({ backup: 500 }, { mode: 'quick' }),
      record({ total: 3 }),
    ]
    expect(phaseBudgets(history, 'backup', 'cold')).toMatchObject({ typicalMs: 10_000, runs: 5 })
  })
  test('only the newest 20 green runs count', () => {
    const history = [...greens(30, 500), ...greens(20, 10)]
    expect(phaseBudgets(history, 'backup', 'cold')?.typicalMs).toBe(10_000)
  })
})

describe('slow phases', () => {
  test('a phase above its budget is flagged with its typical time; at the budget it is not', () => {
    const history = greens(5, 12)
    const slow = slowPhases(record({ backup: 95, total: 100 }), history)
    expect(slow).toEqual([{ phase: 'backup', ms: 95_000, typicalMs: 12_000, budgetMs: 42_000 }])
    expect(slowPhaseLine(slow[0]!)).toBe('backup took 95 s, usually 12 s')
    expect(slowPhases(record({ backup: 42, total: 100 }), history)).toEqual([])
  })
  test('with fewer than 5 earlier runs nothing is said; the run itself is not its own history', () => {
    const run = record({ backup: 95 })
    expect(slowPhases(run, [...greens(4, 12), run])).toEqual([])
  })
  test('the total is compared only with runs of the same tiers', () => {
    const installOnly = Array.from({ length: 5 }, () => record({ install: 10, total: 50 }))
    const full = record({ install: 10, backup: 10, total: 130 })
    expect(slowPhases(full, installOnly)).toEqual([])
    expect(slowPhases(record({ install: 10, total: 130 }), installOnly)).toMatchObject([
      { phase: 'total', ms: 130_000, typicalMs: 50_000, budgetMs: 100_000 },
    ])
  })
  test('summary.md says it in a ⏱ line, result.json keeps it', () => {
    const result = runResult()
    result.slowPhases = [{ phase: 'backup', ms: 95_000, typicalMs: 12_000, budgetMs: 42_000 }]
    expect(summaryMarkdown(result)).toContain('\n⏱ backup took 95 s, usually 12 s\n')
    expect(summaryMarkdown(runResult())).not.toContain('⏱')
  })
})

describe('a run as a history record', () => {
  test('phases from state.json and result.json; tiers not run are left out', () => {
    const result = runResult()
    result.tiers = result.tiers.map((t) =>
      t.tier === 'custom' ? { ...t, status: 'not-run', durationMs: 0 } : t,
    )
    const phases = runPhases({
      result,
      ops: {
        install: op('2026-11-30T10:00:20.000Z', 30_000),
        backup: op('2026-11-30T10:01:00.000Z', 5_000),
      },
      teardownMs: 7_000,
    })
    expect(phases).toEqual({
      setup: 20_000,
      install: 31_000,
      upgrade: 1_000,
      backup: 6_000,
      restore: 1_000,
      teardown: 7_000,
      total: 120_000,
    })
  })
  test('the record speaks the tier statuses of result.json, all of them', () => {
    expectTypeOf<(typeof TIER_STATUSES)[number]>().toEqualTypeOf<TierStatus>()
    expect(TIER_STATUSES).toHaveLength(5)
  })
  test('the record carries what the run knows and matches the schema', () => {
    const result = runResult({ ref: 'main' })
    const rec = historyRecordOf(result, {
      resultsDir: '/home/r/results/tiny-html-1',
      origin: { trigger: 'pr', triggeredBy: 'alice' },
      phases: { total: 120_000 },
      slowPhases: [],
    })
    expect(HistoryRecord.parse(rec)).toEqual(rec)
    expect(rec).toMatchObject({
      runId: 'tiny-html-1',
      ref: 'main',
      commit: '0123456789abcdef0123',
      pr: '12',
      trigger: 'pr',
      triggeredBy: 'alice',
      ok: true,
      level: 5,
      mode: 'cold',
      diagnostics: null,
      tiers: TIERS.map((tier) => ({ tier, status: 'pass' })),
    })
  })
  test('a diagnostics folder is kept relative to the results folder', () => {
    const result = { ...runResult(), diagnostics: '/home/r/results/tiny-html-1/diagnostics' }
    const rec = historyRecordOf(result, {
      resultsDir: '/home/r/results/tiny-html-1',
      origin: { trigger: 'local', triggeredBy: null },
      phases: {},
      slowPhases: [],
    })
    expect(rec.diagnostics).toBe('diagnostics')
    expect(diagnosticsPath({ diagnostics: 'diagnostics' }, '/r')).toBe('diagnostics')
    expect(diagnosticsPath({ diagnostics: undefined }, '/r')).toBeNull()
  })
  test.each([
    [{}, 'local', null],
    [{ PR: 'local' }, 'local', null],
    [{ PR: '12', DRONE: 'true', CCCI_TRIGGERED_BY: 'alice' }, 'pr', 'alice'],
    [{ DRONE: 'true' }, 'drone', null],
    [{ CCCI_RUN_TRIGGER: 'sweep', PR: '' }, 'sweep', null],
  ])('origin of %j: %s by %s', (env, trigger, by) => {
    expect(runOrigin(env)).toEqual({ trigger, triggeredBy: by, problems: [] })
  })
  test('an invalid login or trigger is ignored and said, never echoed', () => {
    const origin = runOrigin({ CCCI_TRIGGERED_BY: 'x; rm -rf /', CCCI_RUN_TRIGGER: 'cron' })
    expect(origin).toMatchObject({ trigger: 'local', triggeredBy: null })
    expect(origin.problems).toHaveLength(2)
    expect(origin.problems.join('\n')).not.toContain('rm -rf')
  })
})

describe('the store', () => {
  let home: string
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'ccci-history-'))
  })
  afterEach(() => {
    rmSync(home, { recursive: true, force: true })
  })
  test('appended lines read back oldest first; recipes are listed', () => {
    const a = record({ total: 1 })
    const b = record({ total: 2 })
    appendHistory(home, a)
    appendHistory(home, b)
    expect(readHistory(home, 'tiny-html')).toEqual([a, b])
    expect(historyRecipes(home)).toEqual(['tiny-html'])
    expect(readHistory(home, 'other')).toEqual([])
  })
  test('a corrupt line, a partial last line and an invalid record are skipped with a warning', () => {
    const good = record({ total: 1 })
    const file = historyFile(home, 'tiny-html')
    appendHistory(home, good)
    const text = readFileSync(file, 'utf8')
    writeFileSync(
      file,
      `garbage\n${text}${JSON.stringify({ ...good, level: 9 })}\n${text.slice(0, 40)}`,
    )
    const warnings: string[] = []
    expect(readHistory(home, 'tiny-html', (m) => warnings.push(m))).toEqual([good])
    expect(warnings).toHaveLength(3)
    expect(warnings[0]).toContain(':1: skipped')
    expect(parseHistory(`${text}\n\n`).skipped).toEqual([])
  })
  test('a recipe name that is not one never becomes a path', () => {
    expect(() => historyFile(home, '../etc')).toThrow(/not a recipe name/)
  })
})

describe('recording a finished run', () => {
  let home: string
  const warnings: string[] = []
  const log: Logger = {
    step: () => undefined,
    info: () => undefined,
    debug: () => undefined,
    warn: (m) => warnings.push(m),
  }
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'ccci-history-'))
    warnings.length = 0
  })
  afterEach(() => {
    rmSync(home, { recursive: true, force: true })
  })
  const times = (backupMs: number) => ({
    resultsDir: '/results/r',
    ops: { backup: op('2026-11-30T10:01:00.000Z', backupMs) },
    teardownMs: 1000,
  })
  test('the sixth run with a slow backup is flagged; the line is appended, redacted', () => {
    for (let i = 0; i < 5; i++) {
      expect(recordRunHistory(home, runResult({ runId: `r${i}` }), times(11_000), log)).toEqual([])
    }
    const canary = 'canary-7f3e9b2d-secret'
    registerSecret(canary)
    const result = runResult({ runId: 'r5', ref: canary })
    const slow = recordRunHistory(home, result, times(94_000), log)
    expect(slow).toEqual([{ phase: 'backup', ms: 95_000, typicalMs: 12_000, budgetMs: 42_000 }])
    const text = readFileSync(historyFile(home, 'tiny-html'), 'utf8')
    expect(text).not.toContain(canary)
    expect(readHistory(home, 'tiny-html').map((r) => r.runId)).toEqual([
      'r0',
      'r1',
      'r2',
      'r3',
      'r4',
      'r5',
    ])
    expect(warnings).toEqual([])
  })
  test('a history that cannot be written is a warning, never a failure', () => {
    writeFileSync(join(home, 'history'), 'a file where the folder should be')
    expect(recordRunHistory(home, runResult(), times(1), log)).toEqual([])
    expect(warnings.join('\n')).toContain('run history: this run was not recorded')
    expect(existsSync(join(home, 'history', 'tiny-html.jsonl'))).toBe(false)
  })
})

describe('ccci history table', () => {
  test('newest first, one mark per tier, ref and commit short, total and slow phases', () => {
    const old = record({ total: 62 }, { ref: 'main' })
    const failed = record(
      { total: 3725, backup: 95 },
      {
        ok: false,
        level: 2,
        trigger: 'pr',
        pr: '12',
        triggeredBy: 'alice',
        ref: 'abcdef0123456789',
        tiers: [
          { tier: 'install', status: 'pass' },
          { tier: 'upgrade', status: 'pass' },
          { tier: 'backup', status: 'fail' },
          { tier: 'restore', status: 'skip' },
          { tier: 'custom', status: 'not-run' },
        ],
        slowPhases: [{ phase: 'backup', ms: 95_000, typicalMs: 12_000, budgetMs: 42_000 }],
      },
    )
    const lines = historyTable([old, failed]).split('\n')
    expect(lines[0]).toMatch(
      /^finished \(UTC\)\s+ref\s+trigger\s+by\s+mode\s+result\s+level\s+tiers\s+total\s+slow$/,
    )
    expect(lines[1]).toMatch(
      /^2026-11-01 \d\d:\d\d\s+abcdef01\s+pr #12\s+alice\s+cold\s+failed\s+2\/5\s+✓✓✗–·\s+1h02m\s+backup 1m35s \(usually 12s\)$/,
    )
    expect(lines[2]).toMatch(/\s+main@abcdef01\s+local\s+-\s+cold\s+passed\s+5\/5\s+✓✓✓✓✓\s+1m02s$/)
    expect(lines.at(-2)).toContain('✓ pass, ✗ fail')
    // Columns line up: the tier marks start at the same place in every row.
    expect(lines[1]?.indexOf('✓✓✗')).toBe(lines[2]?.indexOf('✓✓✓'))
  })
  test('small pieces', () => {
    expect(formatDuration(42_400)).toBe('42s')
    expect(formatDuration(undefined)).toBe('?')
    expect(refLabel({ ref: null, commit: '0123456789' })).toBe('01234567')
    expect(tierMarks([{ tier: 'install', status: 'error' }])).toBe('!····')
  })
})
