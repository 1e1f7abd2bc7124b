import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { ServiceVerdict } from './failing-services.ts'

/** The bundle's folder, relative to the run's results folder. */
export const DIAGNOSTICS_DIR = 'diagnostics'
export const INDEX_FILE = 'index.md'
export const SERVICES_FILE = 'services.json'

/** `services.json`: the headline and every service judged, failing first. */
export interface ServicesFile {
  headline: string
  stack: string
  services: ServiceVerdict[]
}

/** What the result and the summary say about a bundle. */
export interface DiagnosticsLink {
  /** The bundle folder, relative to the results folder (`diagnostics`). */
  path: string
  /** Its index, relative to the results folder (`diagnostics/index.md`). */
  index: string
  headline: string
}

const HeadlineSchema = z.looseObject({ headline: z.string() })

/** Whether the teardown collects the bundle: a failed run always, a green one when asked. */
export function wantsDiagnostics(failed: boolean, mode: 'on-failure' | 'always'): boolean {
  return failed || mode === 'always'
}

/** The bundle the teardown left in a results folder, if any (read back for result.json). */
export function readDiagnosticsLink(resultsDir: string): DiagnosticsLink | undefined {
  const dir = join(resultsDir, DIAGNOSTICS_DIR)
  if (!existsSync(join(dir, INDEX_FILE))) {
    return undefined
  }
  let headline = ''
  try {
    const parsed = HeadlineSchema.safeParse(
      JSON.parse(readFileSync(join(dir, SERVICES_FILE), 'utf8')),
    )
    headline = parsed.success ? parsed.data.headline : ''
  } catch {
    // services.json was cut by the size cap or not written: the index is still there.
  }
  return { path: DIAGNOSTICS_DIR, index: `${DIAGNOSTICS_DIR}/${INDEX_FILE}`, headline }
}
