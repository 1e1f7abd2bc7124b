import { z } from 'zod'
import { CcciError } from '../errors.ts'
import { validateRef, validateSource } from '../git/index.ts'

/** What a run tests: set by `ccci run` flags, or by Drone (SRC, REF, PR, QUICK). */
export interface Trigger {
  /** Recipe repository URL or path; default: the recipe's own source. */
  src: string | undefined
  /** Branch, tag, commit or `refs/pull/N/head`; default: the default branch. */
  ref: string | undefined
  /** Pull request number, or `local`. */
  pr: string
  quick: boolean
}

export const TriggerEnv = z.object({
  SRC: z.string().optional().describe('recipe repository URL or path to test (`ccci run --src`)'),
  REF: z.string().optional().describe('branch, tag, commit or refs/pull/N/head to test (`--ref`)'),
  PR: z
    .string()
    .regex(/^(\d{1,9}|local)$/, 'a pull request number')
    .optional()
    .describe('pull request number; part of the per-run domain (`--pr`)'),
  QUICK: z
    .enum(['', '0', '1', 'true', 'false'])
    .optional()
    .describe('1 for a --quick run against the warm canonical'),
})

export function readTrigger(env: NodeJS.ProcessEnv = process.env): Trigger {
  const parsed = TriggerEnv.safeParse(env)
  if (!parsed.success) {
    throw new CcciError('CCCI_TRIGGER', `invalid run input: ${z.prettifyError(parsed.error)}`, {
      hint: 'SRC is a git URL or path, REF a branch/tag/commit, PR a number, QUICK 0 or 1',
    })
  }
  const e = parsed.data
  const nonEmpty = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? undefined : value.trim()
  const src = nonEmpty(e.SRC)
  const ref = nonEmpty(e.REF)
  return {
    src: src === undefined ? undefined : validateSource(src),
    ref: ref === undefined ? undefined : validateRef(ref),
    pr: e.PR ?? 'local',
    quick: e.QUICK === '1' || e.QUICK === 'true',
  }
}
