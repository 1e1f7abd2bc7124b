import { redact, redactDeep } from '../redaction/redact.ts'
import { diagnosticsPage } from './diagnostics-page.ts'
import { indexPage, type RecipeRuns } from './index-page.ts'
import { levelBadge } from './level-badge.ts'
import { recipePage } from './recipe-page.ts'
import { newestFirst, type ReportRun } from './report-run.ts'
import {
  RESULT_FILES,
  safeRelativePath,
  safeSegment,
  type PublishedFile,
  type RunFiles,
} from './run-files.ts'
import { fromDepth, pageOf } from './run-links.ts'
import { runPage } from './run-page.ts'
import { textPage } from './text-page.ts'

/** At most this many runs per recipe are on its page and in `runs/` (the newest). */
export const MAX_RUNS_PER_RECIPE = 100

/**
 * A file's text, redacted. JSON is redacted value by value (a secret holding `"` or `\\` is
 * escaped in the file's text, and a text replace would miss it), then written back indented.
 */
export function redactFile(path: string, text: string): string {
  if (path.endsWith('.json')) {
    try {
      return `${JSON.stringify(redactDeep(JSON.parse(text) as unknown), null, 2)}\n`
    } catch {
      // not valid JSON (cut by the size bound): redacted as text below
    }
  }
  return redact(text)
}

/** Every file's text redacted as its kind needs, before any page shows it. */
function redactedFiles(files: RunFiles | undefined): RunFiles | undefined {
  if (files === undefined) {
    return undefined
  }
  const each = (f: PublishedFile): PublishedFile =>
    f.text === undefined ? f : { ...f, text: redactFile(f.path, f.text) }
  return { ...files, files: files.files.map(each), diagnostics: files.diagnostics.map(each) }
}

/** Raw copies kept next to their pages (the rest is shown as pages only). */
const RAW = new Set<string>(['summary.md', 'junit.xml', 'result.json'])

/**
 * The whole site as path → content, from the runs and what was read of their results folders.
 * Pure: the caller reads the files (bounded) and writes the result. Every text that leaves this
 * function passed `redact()`; runs or files whose names cannot be a safe path segment are left
 * out.
 */
export function siteFiles(options: {
  runs: readonly ReportRun[]
  files: ReadonlyMap<string, RunFiles>
  generatedAt: string
}): Map<string, string> {
  const { files, generatedAt } = options
  const out = new Map<string, string>()
  const put = (path: string, content: string) => out.set(path, redactFile(path, content))
  const byRecipe = new Map<string, ReportRun[]>()
  for (const run of options.runs) {
    if (!safeSegment(run.recipe) || !safeSegment(run.runId)) {
      continue
    }
    byRecipe.set(run.recipe, [...(byRecipe.get(run.recipe) ?? []), run])
  }
  const recipes: RecipeRuns[] = [...byRecipe.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([recipe, runs]) => ({ recipe, runs: newestFirst(runs).slice(0, MAX_RUNS_PER_RECIPE) }))

  put('index.html', indexPage(recipes, generatedAt))
  for (const { recipe, runs } of recipes) {
    put(`badges/${recipe}.svg`, levelBadge(runs[0]?.level))
    put(`recipes/${recipe}/index.html`, recipePage({ recipe, runs, files, generatedAt }))
    for (const run of runs) {
      const base = `runs/${run.runId}`
      const found = redactedFiles(files.get(run.runId))
      put(`${base}/index.html`, runPage(run, found, generatedAt))
      if (found === undefined) {
        continue
      }
      const runCrumbs = (depth: number) => [
        { text: 'All recipes', href: fromDepth(depth, 'index.html') },
        { text: recipe, href: fromDepth(depth, `recipes/${recipe}/index.html`) },
        { text: run.runId, href: fromDepth(depth, `${base}/index.html`) },
      ]
      for (const file of found.files) {
        if (file.text === undefined || !(RESULT_FILES as readonly string[]).includes(file.path)) {
          continue
        }
        const raw = RAW.has(file.path)
        if (raw) {
          put(`${base}/${file.path}`, file.text)
        }
        put(
          `${base}/${pageOf(file.path)}`,
          textPage({
            title: file.path === 'diagnostics.txt' ? `Logs of ${run.runId}` : file.path,
            crumbs: [...runCrumbs(2), { text: file.path }],
            file,
            rawHref: raw ? encodeURIComponent(file.path) : undefined,
            generatedAt,
          }),
        )
      }
      if (found.diagnostics.length === 0) {
        continue
      }
      put(`${base}/diagnostics/index.html`, diagnosticsPage(run, found, generatedAt))
      for (const file of found.diagnostics) {
        if (file.text === undefined || !safeRelativePath(file.path)) {
          continue
        }
        const depth = 3 + file.path.split('/').length - 1
        put(
          `${base}/diagnostics/${pageOf(file.path)}`,
          textPage({
            title: `${file.path} (diagnostics of ${run.runId})`,
            crumbs: [
              ...runCrumbs(depth),
              { text: 'diagnostics', href: fromDepth(depth, `${base}/diagnostics/index.html`) },
              { text: file.path },
            ],
            file,
            generatedAt,
          }),
        )
      }
    }
  }
  return out
}
