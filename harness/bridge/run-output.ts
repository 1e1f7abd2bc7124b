import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { CcciError } from '../errors.ts'

/** The part of `result.json` (harness/results/report-files.ts `RunResult`) a verdict reads. */
export const RunResultFile = z.object({
  version: z.literal(1),
  runId: z.string().min(1),
  recipe: z.string().min(1),
  source: z.object({ commit: z.string(), pr: z.string() }),
  lifecycle: z.string().startsWith('LIFECYCLE'),
  level: z.number().int().min(0).max(5),
  ok: z.boolean(),
  tiers: z.array(
    z.object({
      tier: z.string(),
      status: z.string(),
      tests: z.array(
        z.object({
          name: z.string(),
          file: z.string(),
          state: z.enum(['passed', 'failed', 'skipped']),
          message: z.string().optional(),
        }),
      ),
    }),
  ),
})
export type RunResultFile = z.output<typeof RunResultFile>

/** `summary.md`: the PR comment the run wrote, markdown, bounded (a comment has a size limit). */
export const SummaryFile = z
  .string()
  .min(1, 'empty')
  .max(60_000, 'longer than a PR comment may be')
  .refine((s) => s.startsWith('### cc-ci:'), 'not a cc-ci summary (no "### cc-ci:" heading)')

export interface RunOutput {
  dir: string
  result: RunResultFile
  summary: string
}

/** Reads and validates a run's `result.json` and `summary.md`. */
export function readRunOutput(dir: string): RunOutput {
  const read = (name: string) => {
    const file = join(dir, name)
    if (!existsSync(file)) {
      throw new CcciError('CCCI_VERDICT_INPUT', `${file} does not exist`, {
        hint: 'the run did not finish writing its results; read the build log',
      })
    }
    return readFileSync(file, 'utf8')
  }
  let json: unknown
  try {
    json = JSON.parse(read('result.json'))
  } catch (error) {
    if (error instanceof CcciError) {
      throw error
    }
    throw new CcciError('CCCI_VERDICT_INPUT', `${join(dir, 'result.json')} is not JSON`, {
      hint: 'the results folder is damaged; read the build log',
    })
  }
  const result = RunResultFile.safeParse(json)
  const summary = SummaryFile.safeParse(read('summary.md'))
  if (!result.success || !summary.success) {
    const issues = [
      ...(result.success
        ? []
        : result.error.issues.map((i) => `result.json ${i.path.join('.')}: ${i.message}`)),
      ...(summary.success ? [] : summary.error.issues.map((i) => `summary.md: ${i.message}`)),
    ]
    throw new CcciError(
      'CCCI_VERDICT_INPUT',
      `${dir} holds results cc-ci cannot read:\n${issues.slice(0, 5).join('\n')}`,
      {
        hint: 'the results were written by another cc-ci version or damaged; read the build log',
      },
    )
  }
  return { dir, result: result.data, summary: summary.data }
}
