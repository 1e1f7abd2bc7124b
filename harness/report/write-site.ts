import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { ReportRun } from './report-run.ts'
import { DEFAULT_LIMITS, readRunFiles, type FileLimits } from './read-run-files.ts'
import type { RunFiles } from './run-files.ts'
import { siteFiles } from './site-files.ts'

/**
 * Builds the site from the runs into `outDir`, atomically: everything is written into a sibling
 * temporary folder, the old site is renamed aside, the new one renamed into place, the old one
 * removed. A reader sees the old site or the new one, never half of one (but for the instant
 * between the two renames, when the folder is briefly absent).
 */
export function writeSite(
  runs: readonly ReportRun[],
  outDir: string,
  options: { now?: Date; limits?: FileLimits } = {},
): { pages: number; dir: string } {
  const dir = resolve(outDir)
  const files = new Map<string, RunFiles>()
  for (const run of runs) {
    files.set(run.runId, readRunFiles(run, options.limits ?? DEFAULT_LIMITS))
  }
  const site = siteFiles({
    runs,
    files,
    generatedAt: (options.now ?? new Date()).toISOString(),
  })
  mkdirSync(dirname(dir), { recursive: true })
  const stamp = `${process.pid}-${Date.now()}`
  const temp = `${dir}.new-${stamp}`
  const old = `${dir}.old-${stamp}`
  try {
    for (const [path, content] of site) {
      const target = join(temp, path)
      mkdirSync(dirname(target), { recursive: true })
      writeFileSync(target, content)
    }
    const hadSite = existsSync(dir)
    if (hadSite) {
      renameSync(dir, old)
    }
    try {
      renameSync(temp, dir)
    } catch (error) {
      if (hadSite) {
        renameSync(old, dir)
      }
      throw error
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
    rmSync(old, { recursive: true, force: true })
  }
  return { pages: site.size, dir }
}
