import { hrefOf } from './escape-html.ts'
import type { RunFiles } from './run-files.ts'

/** A link to one of a run's published files, relative to the site's root. */
export interface RunLink {
  text: string
  /** Path from the site's root. */
  path: string
}

/** Page names of published text files: `summary.md` → `summary.md.html`. */
export function pageOf(path: string): string {
  return `${path}.html`
}

/**
 * The links a run offers: its page, the summary (as a page and as markdown), junit.xml,
 * result.json, the logs it printed on failure, its diagnostics. Only what was published.
 */
export function runLinks(runId: string, files: RunFiles | undefined): RunLink[] {
  const base = `runs/${runId}`
  const links: RunLink[] = [{ text: 'run', path: `${base}/index.html` }]
  const has = (name: string) => files?.files.some((f) => f.path === name && f.text !== undefined)
  if (has('summary.md')) {
    links.push(
      { text: 'summary', path: `${base}/${pageOf('summary.md')}` },
      { text: 'summary.md', path: `${base}/summary.md` },
    )
  }
  if (has('junit.xml')) {
    links.push({ text: 'junit.xml', path: `${base}/junit.xml` })
  }
  if (has('result.json')) {
    links.push({ text: 'result.json', path: `${base}/result.json` })
  }
  if (has('diagnostics.txt')) {
    links.push({ text: 'logs', path: `${base}/${pageOf('diagnostics.txt')}` })
  }
  if ((files?.diagnostics.length ?? 0) > 0) {
    links.push({ text: 'diagnostics', path: `${base}/diagnostics/index.html` })
  }
  return links
}

/** An `href` from a page `depth` folders below the root to a path from the root. */
export function fromDepth(depth: number, path: string): string {
  return hrefOf(...Array.from({ length: depth }, () => '..'), path)
}
