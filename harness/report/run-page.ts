import { PHASES } from '../history/history-record.ts'
import { escapeHtml } from './escape-html.ts'
import { pageLayout } from './page-layout.ts'
import { refText, slowText } from './recipe-page.ts'
import type { ReportRun } from './report-run.ts'
import { formatDuration } from './run-chart.ts'
import type { RunFiles } from './run-files.ts'
import { fromDepth, runLinks } from './run-links.ts'
import { statusMark, verdictText } from './tier-marks.ts'

/** `runs/<runId>/index.html`: one run's facts, tiers, phase times and links to its files. */
export function runPage(run: ReportRun, files: RunFiles | undefined, generatedAt: string): string {
  const up = (path: string) => fromDepth(2, path)
  const links = runLinks(run.runId, files).filter((l) => l.text !== 'run')
  const phases: Partial<Record<string, number>> = run.phases
  const facts: [string, string][] = [
    ['Result', `${verdictText(run.ok)}, level ${escapeHtml(run.level)}/5`],
    ['Lifecycle', `<code>${escapeHtml(run.lifecycle)}</code>`],
    ['Ref / commit', refText(run)],
    [
      'Trigger',
      `${escapeHtml(run.trigger)}, ${escapeHtml(run.mode)} run, ${escapeHtml(run.driver)} driver`,
    ],
    ['Triggered by', escapeHtml(run.triggeredBy ?? '—')],
    ['Started', escapeHtml(run.startedAt)],
    ['Finished', escapeHtml(run.finishedAt)],
    ['Slow phases', slowText(run)],
  ]
  const body = [
    `<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>`,
    '<h2>Tiers</h2>',
    '<table><thead><tr><th scope="col">Tier</th><th scope="col">Status</th></tr></thead><tbody>',
    ...run.tiers.map(
      (t) => `<tr><th scope="row">${escapeHtml(t.tier)}</th><td>${statusMark(t.status)}</td></tr>`,
    ),
    '</tbody></table>',
    '<h2>Phase times</h2>',
    '<table><thead><tr><th scope="col">Phase</th><th scope="col">Time</th></tr></thead><tbody>',
    ...PHASES.filter((p) => phases[p] !== undefined).map(
      (p) => `<tr><th scope="row">${p}</th><td>${escapeHtml(formatDuration(phases[p]))}</td></tr>`,
    ),
    '</tbody></table>',
    '<h2>Files</h2>',
    files?.present === false
      ? '<p>The results folder of this run is no longer on the host (pruned after its retention time).</p>'
      : links.length === 0
        ? '<p>No files published.</p>'
        : `<ul>${links.map((l) => `<li><a href="${up(l.path)}">${escapeHtml(l.text)}</a></li>`).join('')}</ul>`,
  ].join('\n')
  return pageLayout({
    title: `Run ${run.runId}`,
    crumbs: [
      { text: 'All recipes', href: up('index.html') },
      { text: run.recipe, href: up(`recipes/${run.recipe}/index.html`) },
      { text: run.runId },
    ],
    body,
    generatedAt,
  })
}
