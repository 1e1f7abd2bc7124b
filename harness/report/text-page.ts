import { escapeHtml } from './escape-html.ts'
import { pageLayout, type Crumb } from './page-layout.ts'
import { formatBytes, type PublishedFile } from './run-files.ts'

/** A text file (a summary, a log, a diagnostics file) as a page: escaped, in a `<pre>`. */
export function textPage(options: {
  title: string
  crumbs: Crumb[]
  file: PublishedFile
  /** The raw file's href, when the site also keeps it. */
  rawHref?: string
  generatedAt: string
}): string {
  const { file } = options
  const notes = [
    `<p class="note">${escapeHtml(file.path)}, ${escapeHtml(formatBytes(file.bytes))}${
      file.truncated ? ': too large, only its end is shown' : ''
    }${options.rawHref === undefined ? '' : ` · <a href="${options.rawHref}">raw file</a>`}</p>`,
  ]
  const body =
    file.text === undefined
      ? '<p>Not text: this file is not published on the site (it may hold what the text files redact).</p>'
      : `<pre>${escapeHtml(file.text)}</pre>`
  return pageLayout({
    title: options.title,
    crumbs: options.crumbs,
    body: [...notes, body].join('\n'),
    generatedAt: options.generatedAt,
  })
}
