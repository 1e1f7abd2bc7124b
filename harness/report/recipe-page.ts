import { escapeHtml } from './escape-html.ts'
import { badgeMessage } from './level-badge.ts'
import { pageLayout } from './page-layout.ts'
import type { ReportRun } from './report-run.ts'
import { formatDuration, formatTime, runChart } from './run-chart.ts'
import type { RunFiles } from './run-files.ts'
import { fromDepth, runLinks } from './run-links.ts'
import { tierMarks, verdictText } from './tier-marks.ts'

/** Ref and commit, a pull request when there is one. */
export function refText(run: Pick<ReportRun, 'ref' | 'commit' | 'pr'>): string {
  const parts = [
    run.ref === null || run.ref === '' ? '' : `<code>${escapeHtml(run.ref)}</code>`,
    `<code>${escapeHtml(run.commit.slice(0, 12))}</code>`,
  ]
  if (/^\d+$/.test(run.pr)) {
    parts.push(`PR #${escapeHtml(run.pr)}`)
  }
  return parts.filter((p) => p !== '').join('<br>')
}

/** Slow phases: `backup 42.0 s (usually 10.0 s)`. */
export function slowText(run: Pick<ReportRun, 'slowPhases'>): string {
  return run.slowPhases.length === 0
    ? '—'
    : run.slowPhases
        .map(
          (s) =>
            `${escapeHtml(s.phase)} ${escapeHtml(formatDuration(s.ms))} (usually ${escapeHtml(formatDuration(s.typicalMs))})`,
        )
        .join('<br>')
}

/**
 * `recipes/<recipe>/index.html`: the badge and how to embed it, the chart of duration and level
 * over time, and every run newest first with its LIFECYCLE line, ref and commit, trigger, who,
 * per-tier marks, slow phases and links to its files.
 */
export function recipePage(options: {
  recipe: string
  /** Newest first. */
  runs: readonly ReportRun[]
  files: ReadonlyMap<string, RunFiles>
  generatedAt: string
}): string {
  const { recipe, runs, files } = options
  const up = (path: string) => fromDepth(2, path)
  const level = runs[0]?.level
  const rows = runs.map((run) => {
    const links = runLinks(run.runId, files.get(run.runId))
      .map((l) => `<a href="${up(l.path)}">${escapeHtml(l.text)}</a>`)
      .join(' · ')
    return [
      '<tr>',
      `<th scope="row"><a href="${up(`runs/${run.runId}/index.html`)}"><time datetime="${escapeHtml(run.finishedAt)}">${escapeHtml(formatTime(run.finishedAt))}</time></a></th>`,
      `<td>${verdictText(run.ok)}</td>`,
      `<td>${escapeHtml(run.level)}/5</td>`,
      `<td><code>${escapeHtml(run.lifecycle)}</code></td>`,
      `<td>${refText(run)}</td>`,
      `<td>${escapeHtml(run.trigger)}${run.mode === 'quick' ? ' (quick)' : ''}</td>`,
      `<td>${escapeHtml(run.triggeredBy ?? '—')}</td>`,
      `<td>${tierMarks(run.tiers)}</td>`,
      `<td>${escapeHtml(formatDuration(run.phases.total))}</td>`,
      `<td>${slowText(run)}</td>`,
      `<td>${links}</td>`,
      '</tr>',
    ].join('')
  })
  const badgeAlt = `cc-ci: ${badgeMessage(level)}`
  const body = [
    `<p><img src="${up(`badges/${recipe}.svg`)}" alt="${escapeHtml(badgeAlt)}" height="20"></p>`,
    '<h2>Duration and level over time</h2>',
    runChart(recipe, runs),
    '<h2>Runs</h2>',
    runs.length === 0
      ? '<p>No runs recorded.</p>'
      : [
          '<table>',
          `<caption class="sr">${escapeHtml(`Runs of ${recipe}, newest first`)}</caption>`,
          '<thead><tr><th scope="col">Finished</th><th scope="col">Result</th><th scope="col">Level</th><th scope="col">Lifecycle</th><th scope="col">Ref / commit</th><th scope="col">Trigger</th><th scope="col">By</th><th scope="col">Tiers</th><th scope="col">Duration</th><th scope="col">Slow phases</th><th scope="col">Files</th></tr></thead>',
          `<tbody>${rows.join('\n')}</tbody>`,
          '</table>',
        ].join('\n'),
    '<h2>Badge</h2>',
    `<p>Embed the badge in the recipe's README (replace the host with where the site is served):</p>`,
    `<pre>${escapeHtml(`[![cc-ci](https://ci.example.org/badges/${encodeURIComponent(recipe)}.svg)](https://ci.example.org/recipes/${encodeURIComponent(recipe)}/index.html)`)}</pre>`,
  ].join('\n')
  return pageLayout({
    title: `Recipe ${recipe}`,
    crumbs: [{ text: 'All recipes', href: up('index.html') }, { text: recipe }],
    body,
    generatedAt: options.generatedAt,
  })
}
