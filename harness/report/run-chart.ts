import { escapeHtml } from './escape-html.ts'
import type { ReportRun } from './report-run.ts'

export type ChartRun = Pick<ReportRun, 'runId' | 'finishedAt' | 'level' | 'ok' | 'phases'>

const WIDTH = 640
const HEIGHT = 180
const PLOT = { left: 76, right: 40, top: 14, bottom: 30 }

/** An ISO time as `2026-11-30 19:58 UTC` (the ISO form stays in `<time datetime>`). */
export function formatTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso)
  return match === null ? iso : `${match[1]} ${match[2]} UTC`
}

/** Seconds with one decimal under a minute, else minutes and seconds. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) {
    return '—'
  }
  const seconds = ms / 1000
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`
  }
  const whole = Math.round(seconds)
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`
}

/**
 * A small inline SVG chart of a recipe's runs over time, oldest on the left: one bar per run for
 * its duration (left axis; red when the run failed) and a line for its level (right axis, 0-5).
 * No JavaScript; `role="img"` with a title and a description that says the same in words.
 */
export function runChart(recipe: string, runs: readonly ChartRun[]): string {
  const ordered = [...runs].sort(
    (a, b) => a.finishedAt.localeCompare(b.finishedAt) || a.runId.localeCompare(b.runId),
  )
  const id = `chart-${recipe.replace(/[^A-Za-z0-9_-]/g, '-')}`
  const durations = ordered.map((r) => r.phases.total ?? 0)
  const maxMs = Math.max(1, ...durations)
  const plotW = WIDTH - PLOT.left - PLOT.right
  const plotH = HEIGHT - PLOT.top - PLOT.bottom
  const step = plotW / Math.max(1, ordered.length)
  const barW = Math.max(2, Math.min(28, step * 0.6))
  const x = (i: number) => PLOT.left + step * i + step / 2
  const yMs = (ms: number) => PLOT.top + plotH - (ms / maxMs) * plotH
  const yLevel = (level: number) => PLOT.top + plotH - (Math.max(0, Math.min(5, level)) / 5) * plotH
  const first = ordered[0]
  const last = ordered.at(-1)
  const description =
    first === undefined || last === undefined
      ? 'No runs yet.'
      : `${ordered.length} run(s) from ${first.finishedAt} to ${last.finishedAt}; ` +
        `longest ${formatDuration(maxMs)}; latest level ${last.level} of 5, ` +
        `duration ${formatDuration(last.phases.total)}.`
  const parts = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeHtml(`Run duration and level over time: ${recipe}`)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(description)}</desc>`,
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${plotW}" height="${plotH}" fill="#fff" stroke="#767676"/>`,
  ]
  for (const level of [0, 1, 2, 3, 4, 5]) {
    const y = yLevel(level)
    parts.push(
      `<line x1="${PLOT.left}" x2="${PLOT.left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${PLOT.left + plotW + 6}" y="${y + 4}" font-size="11" fill="#1a237e">L${level}</text>`,
    )
  }
  parts.push(
    `<text x="${PLOT.left - 6}" y="${PLOT.top + 10}" font-size="11" text-anchor="end" fill="#333">${escapeHtml(formatDuration(maxMs))}</text>`,
    `<text x="${PLOT.left - 6}" y="${PLOT.top + plotH}" font-size="11" text-anchor="end" fill="#333">0</text>`,
  )
  ordered.forEach((run, i) => {
    const ms = durations[i] ?? 0
    const y = yMs(ms)
    parts.push(
      `<rect class="bar" x="${(x(i) - barW / 2).toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${(PLOT.top + plotH - y).toFixed(1)}" fill="${run.ok ? '#90a4ae' : '#e57373'}"><title>${escapeHtml(`${run.finishedAt}: ${formatDuration(run.phases.total)}, level ${run.level}/5, ${run.ok ? 'passed' : 'failed'}`)}</title></rect>`,
    )
  })
  if (ordered.length > 0) {
    const points = ordered.map((r, i) => `${x(i).toFixed(1)},${yLevel(r.level).toFixed(1)}`)
    parts.push(
      `<polyline class="level" points="${points.join(' ')}" fill="none" stroke="#1a237e" stroke-width="2"/>`,
      ...ordered.map(
        (r, i) =>
          `<circle cx="${x(i).toFixed(1)}" cy="${yLevel(r.level).toFixed(1)}" r="3.5" fill="#1a237e"/>`,
      ),
    )
  }
  const dateOf = (run: ChartRun | undefined) => escapeHtml(run?.finishedAt.slice(0, 10) ?? '')
  parts.push(
    `<text x="${PLOT.left}" y="${HEIGHT - 10}" font-size="11" fill="#333">${dateOf(first)}</text>`,
    `<text x="${PLOT.left + plotW}" y="${HEIGHT - 10}" font-size="11" text-anchor="end" fill="#333">${dateOf(last)}</text>`,
    `<text x="${PLOT.left + plotW / 2}" y="${HEIGHT - 10}" font-size="11" text-anchor="middle" fill="#333">bars: duration · line: level</text>`,
    '</svg>',
  )
  return parts.join('\n')
}
