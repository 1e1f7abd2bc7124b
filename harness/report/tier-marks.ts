import { escapeHtml } from './escape-html.ts'
import type { ReportRun } from './report-run.ts'

const MARK: Record<string, string> = {
  pass: '✓',
  fail: '✗',
  error: '!',
  skip: '–',
  'not-run': '·',
}

/** A status as a mark plus its word (visually hidden), so it is never told by colour alone. */
export function statusMark(status: string): string {
  const known = Object.hasOwn(MARK, status)
  const cls = known ? status : 'not-run'
  return `<span class="${cls}" aria-hidden="true">${MARK[cls] ?? '·'}</span><span class="sr"> ${escapeHtml(status)}</span>`
}

/** One line per tier: `install ✓`. */
export function tierMarks(tiers: ReportRun['tiers']): string {
  return `<ul class="tiers">${tiers.map((t) => `<li>${escapeHtml(t.tier)} ${statusMark(t.status)}</li>`).join('')}</ul>`
}

/** Passed or failed, in words and colour. */
export function verdictText(ok: boolean): string {
  return ok ? '<span class="pass">passed</span>' : '<span class="fail">failed</span>'
}
