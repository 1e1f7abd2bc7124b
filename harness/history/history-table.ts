import { TIERS } from '../run/tier-names.ts'
import type { HistoryRecord } from './history-record.ts'

/** One character per tier status, the same marks as the results site (harness/report/). */
export const TIER_MARKS: Record<string, string> = {
  pass: '✓',
  fail: '✗',
  error: '!',
  skip: '–',
  'not-run': '·',
}

/** `42s`, `3m05s`, `1h02m`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) {
    return '?'
  }
  const s = Math.round(ms / 1000)
  if (s < 60) {
    return `${s}s`
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  }
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

/** The tiers of a run in lifecycle order, a mark each: `✓✓✓✗·`. */
export function tierMarks(tiers: HistoryRecord['tiers']): string {
  return TIERS.map(
    (tier) => TIER_MARKS[tiers.find((t) => t.tier === tier)?.status ?? 'not-run'] ?? '·',
  ).join('')
}

/** What was tested: `main@1a2b3c4d`, or the short commit when the ref is the commit itself. */
export function refLabel(record: Pick<HistoryRecord, 'ref' | 'commit'>): string {
  const commit = record.commit.slice(0, 8)
  if (record.ref === null || record.ref === '') {
    return commit
  }
  return record.commit.startsWith(record.ref) || record.ref.startsWith(commit)
    ? commit
    : `${record.ref}@${commit}`
}

/** Newest first: by finish time (ISO strings sort in time order), then run id. */
export function newestFirst(records: readonly HistoryRecord[]): HistoryRecord[] {
  return [...records].sort(
    (a, b) => b.finishedAt.localeCompare(a.finishedAt) || b.runId.localeCompare(a.runId),
  )
}

function row(r: HistoryRecord): string[] {
  return [
    `${r.finishedAt.slice(0, 10)} ${r.finishedAt.slice(11, 16)}`,
    refLabel(r),
    r.trigger === 'pr' ? `pr #${r.pr}` : r.trigger,
    r.triggeredBy ?? '-',
    r.mode,
    r.ok ? 'passed' : 'failed',
    `${r.level}/5`,
    tierMarks(r.tiers),
    formatDuration(r.phases.total),
    r.slowPhases
      .map((s) => `${s.phase} ${formatDuration(s.ms)} (usually ${formatDuration(s.typicalMs)})`)
      .join(', '),
  ]
}

const HEAD = [
  'finished (UTC)',
  'ref',
  'trigger',
  'by',
  'mode',
  'result',
  'level',
  'tiers',
  'total',
  'slow',
]

/** `ccci history`'s table: the given runs newest first, one line each, then the legend. */
export function historyTable(records: readonly HistoryRecord[]): string {
  const cells = newestFirst(records).map(row)
  const widths = HEAD.map((h, i) =>
    Math.max(h.length, ...cells.map((c) => [...(c[i] ?? '')].length)),
  )
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : v + ' '.repeat((widths[i] ?? 0) - [...v].length)))
      .join('  ')
      .trimEnd()
  const legend = `tiers: ${TIERS.join(', ')}; ${Object.entries(TIER_MARKS)
    .map(([status, mark]) => `${mark} ${status}`)
    .join(', ')}`
  return `${[line(HEAD), ...cells.map(line), '', legend].join('\n')}\n`
}
