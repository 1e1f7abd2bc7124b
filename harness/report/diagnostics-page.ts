import { escapeHtml, hrefOf } from './escape-html.ts'
import { pageLayout } from './page-layout.ts'
import type { ReportRun } from './report-run.ts'
import { formatBytes, type RunFiles } from './run-files.ts'
import { fromDepth, pageOf } from './run-links.ts'

/**
 * `runs/<runId>/diagnostics/index.html`: the bundle's own `index.md` shown first (escaped), then
 * every file of the bundle with its size, each linked to its page.
 */
export function diagnosticsPage(run: ReportRun, files: RunFiles, generatedAt: string): string {
  const up = (path: string) => fromDepth(3, path)
  const index = files.diagnostics.find((f) => f.path === 'index.md')
  const rows = files.diagnostics.map(
    (f) =>
      `<tr><th scope="row">${
        f.text === undefined
          ? escapeHtml(f.path)
          : `<a href="${hrefOf(pageOf(f.path))}">${escapeHtml(f.path)}</a>`
      }</th><td>${escapeHtml(formatBytes(f.bytes))}${f.truncated ? ' (end shown)' : ''}${
        f.text === undefined ? ' (not text: not published)' : ''
      }</td></tr>`,
  )
  const body = [
    `<p>Collected before the teardown of run <a href="${hrefOf('..', 'index.html')}">${escapeHtml(run.runId)}</a> (${run.ok ? 'passed' : 'failed'}, level ${escapeHtml(run.level)}/5).</p>`,
    index?.text === undefined ? '' : `<h2>index.md</h2>\n<pre>${escapeHtml(index.text)}</pre>`,
    '<h2>Files</h2>',
    '<table><thead><tr><th scope="col">File</th><th scope="col">Size</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    files.omitted > 0
      ? `<p class="note">${files.omitted} more file(s) left out: the site keeps a bounded part of each bundle.</p>`
      : '',
  ]
    .filter((part) => part !== '')
    .join('\n')
  return pageLayout({
    title: `Diagnostics of ${run.runId}`,
    crumbs: [
      { text: 'All recipes', href: up('index.html') },
      { text: run.recipe, href: up(`recipes/${run.recipe}/index.html`) },
      { text: run.runId, href: up(`runs/${run.runId}/index.html`) },
      { text: 'diagnostics' },
    ],
    body,
    generatedAt,
  })
}
