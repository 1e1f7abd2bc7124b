import { HistoryRecord } from '../../harness/history/history-record.ts'

/** A valid history record (the store's own schema) with `overrides`. */
export function historyRecord(overrides: Partial<HistoryRecord> = {}): HistoryRecord {
  return HistoryRecord.parse({
    version: 1,
    runId: 'tiny-html-aaaa-0001',
    recipe: 'tiny-html',
    ref: 'main',
    commit: '0123456789abcdef0123456789abcdef01234567',
    trigger: 'pr',
    pr: '42',
    triggeredBy: 'alice',
    startedAt: '2026-11-01T10:00:00.000Z',
    finishedAt: '2026-11-01T10:01:00.000Z',
    ok: true,
    level: 5,
    lifecycle:
      'LIFECYCLE install: pass | upgrade: pass | backup: pass | restore: pass | custom: pass',
    mode: 'cold',
    driver: 'swarm',
    tiers: [
      { tier: 'install', status: 'pass' },
      { tier: 'upgrade', status: 'pass' },
      { tier: 'backup', status: 'pass' },
      { tier: 'restore', status: 'pass' },
      { tier: 'custom', status: 'pass' },
    ],
    phases: { setup: 20_000, install: 5_000, teardown: 10_000, total: 60_000 },
    resultsDir: '/nonexistent/results/tiny-html-aaaa-0001',
    diagnostics: null,
    slowPhases: [],
    ...overrides,
  })
}
