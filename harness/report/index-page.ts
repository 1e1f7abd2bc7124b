import { formatDuration, formatTime } from './run-chart.ts'
import { escapeHtml, hrefOf } from './escape-html.ts'
import { badgeMessage } from './level-badge.ts'
import { pageLayout } from './page-layout.ts'
import type { ReportRun } from './report-run.ts'
import { verdictText } from './tier-marks.ts'

/** A recipe and its runs, newest first. */
export interface RecipeRuns {
  recipe: string
  runs: readonly ReportRun[]
}

/** `index.html`: every recipe with its current level and badge, its last run and its result. */
export function indexPage(recipes: readonly RecipeRuns[], generatedAt: string): string {
  const rows = recipes.map(({ recipe, runs }) => {
    const last = runs[0]
    const level = last?.level
    return [
      '<tr>',
      `<th scope="row"><a href="${hrefOf('recipes', recipe, 'index.html')}">${escapeHtml(recipe)}</a></th>`,
      `<td><img src="${hrefOf('badges', `${recipe}.svg`)}" alt="${escapeHtml(`cc-ci: ${badgeMessage(level)}`)}" height="20"></td>`,
      `<td>${last === undefined ? '—' : `<time datetime="${escapeHtml(last.finishedAt)}">${escapeHtml(formatTime(last.finishedAt))}</time>`}</td>`,
      `<td>${last === undefined ? '—' : verdictText(last.ok)}</td>`,
      `<td>${last === undefined ? '—' : `<code>${escapeHtml(last.lifecycle)}</code>`}</td>`,
      `<td>${last === undefined ? '—' : escapeHtml(formatDuration(last.phases.total))}</td>`,
      `<td>${runs.length}</td>`,
      '</tr>',
    ].join('')
  })
  const body =
    recipes.length === 0
      ? '<p>No runs recorded yet: a finished run is added to the history, then <code>ccci report</code> shows it here.</p>'
      : [
          '<table>',
          '<caption class="sr">Recipes, their current level and their last run</caption>',
          '<thead><tr><th scope="col">Recipe</th><th scope="col">Level</th><th scope="col">Last run</th><th scope="col">Result</th><th scope="col">Lifecycle</th><th scope="col">Duration</th><th scope="col">Runs</th></tr></thead>',
          `<tbody>${rows.join('\n')}</tbody>`,
          '</table>',
        ].join('\n')
  return pageLayout({
    title: 'cc-ci results',
    crumbs: [{ text: 'All recipes' }],
    body,
    generatedAt,
  })
}
