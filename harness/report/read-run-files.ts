import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import type { ReportRun } from './report-run.ts'
import { RESULT_FILES, safeRelativePath, type PublishedFile, type RunFiles } from './run-files.ts'

/** Size bounds of what the site copies from one run. */
export interface FileLimits {
  /** A larger file shows only its last this many bytes. */
  fileBytes: number
  /** Bytes of one run's diagnostics shown in all; files past it are left out. */
  runBytes: number
  /** Files of one diagnostics folder listed at most. */
  files: number
}

export const DEFAULT_LIMITS: FileLimits = {
  fileBytes: 256 * 1024,
  runBytes: 4 * 1024 * 1024,
  files: 200,
}

/** Names of files that are never text, whatever they hold. */
const BINARY = /\.(png|jpe?g|gif|webp|zip|gz|tgz|tar|pdf|sqlite|db)$/i

/** The file's text (its tail past `limit` bytes), or undefined when it is not UTF-8 text. */
function readText(file: string, bytes: number, limit: number): Omit<PublishedFile, 'path'> {
  if (BINARY.test(file)) {
    return { bytes, text: undefined, truncated: false }
  }
  const length = Math.min(bytes, limit)
  const buffer = Buffer.alloc(length)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, buffer, 0, length, bytes - length)
  } finally {
    closeSync(fd)
  }
  if (buffer.includes(0)) {
    return { bytes, text: undefined, truncated: false }
  }
  const text = buffer.toString('utf8')
  // A cut in the middle of a character or a line: start at the next full line.
  const start = bytes > limit ? text.indexOf('\n') + 1 : 0
  return { bytes, text: text.slice(start), truncated: bytes > limit }
}

function walk(root: string, dir: string, found: string[], max: number): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )
  for (const entry of entries) {
    if (found.length > max) {
      return
    }
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      walk(root, path, found, max)
    } else if (entry.isFile()) {
      // Symbolic links are not followed: a bundle cannot publish a file from elsewhere.
      found.push(relative(root, path).split(sep).join('/'))
    }
  }
}

/**
 * Reads what the site publishes of a run's results folder: the result files and the diagnostics
 * folder the record names, within `limits`. Paths that are not plain names are ignored; a
 * diagnostics path outside the results folder is refused.
 */
export function readRunFiles(
  run: Pick<ReportRun, 'resultsDir' | 'diagnostics'>,
  limits: FileLimits = DEFAULT_LIMITS,
): RunFiles {
  if (!existsSync(run.resultsDir) || !statSync(run.resultsDir).isDirectory()) {
    return { present: false, files: [], diagnostics: [], omitted: 0 }
  }
  const files: PublishedFile[] = []
  for (const name of RESULT_FILES) {
    const path = join(run.resultsDir, name)
    if (existsSync(path) && statSync(path).isFile()) {
      files.push({ path: name, ...readText(path, statSync(path).size, limits.fileBytes) })
    }
  }
  const diagnostics: PublishedFile[] = []
  let omitted = 0
  const relativeDir = run.diagnostics
  if (
    relativeDir !== null &&
    relativeDir !== undefined &&
    safeRelativePath(relativeDir.replace(/\/+$/, ''))
  ) {
    const dir = join(run.resultsDir, relativeDir)
    if (existsSync(dir) && statSync(dir).isDirectory()) {
      const names: string[] = []
      walk(dir, dir, names, limits.files)
      let budget = limits.runBytes
      for (const [i, name] of names.entries()) {
        const size = statSync(join(dir, name)).size
        const shown = Math.min(size, limits.fileBytes)
        if (i >= limits.files || !safeRelativePath(name) || shown > budget) {
          omitted++
          continue
        }
        const file = readText(join(dir, name), size, limits.fileBytes)
        budget -= file.text === undefined ? 0 : shown
        diagnostics.push({ path: name, ...file })
      }
    }
  }
  return { present: true, files, diagnostics, omitted }
}
