import { z } from 'zod'
import { TRIGGERS, type RunTrigger } from './history-record.ts'

/** Gitea logins: letters, digits, `-`, `_` and `.`, at most 40 characters. */
const LOGIN = /^[A-Za-z0-9_.-]{1,40}$/

export const HistoryEnv = z.object({
  CCCI_RUN_TRIGGER: z
    .enum(TRIGGERS)
    .optional()
    .describe('what started the run, for the run history (`ccci sweep` sets `sweep`)'),
  CCCI_TRIGGERED_BY: z
    .string()
    .regex(LOGIN, 'a forge login')
    .optional()
    .describe('who commented `!testme` (the bridge passes it to Drone), for the run history'),
  DRONE: z
    .string()
    .optional()
    .describe(
      'set by Drone in every step (`true`): a run without a PR is a `drone` run in the history',
    ),
})

export interface RunOrigin {
  trigger: RunTrigger
  triggeredBy: string | null
  /** What was wrong with the environment (the value is left out, never printed). */
  problems: string[]
}

/**
 * Who and what started a run, from its environment: CCCI_RUN_TRIGGER when set (the sweep), else a
 * pull request number means `pr` (a `!testme` through Drone or `ccci run --pr N`), else `drone`
 * inside a Drone build, else `local`. An invalid value is ignored and reported, never fatal.
 */
export function runOrigin(env: NodeJS.ProcessEnv = process.env): RunOrigin {
  const problems: string[] = []
  const valid = <T>(key: string, parsed: z.ZodSafeParseResult<T>): T | undefined => {
    if (parsed.success) {
      return parsed.data
    }
    problems.push(`${key} ignored: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    return undefined
  }
  const { CCCI_RUN_TRIGGER, CCCI_TRIGGERED_BY } = HistoryEnv.shape
  const set = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? undefined : value.trim()
  const explicit = valid('CCCI_RUN_TRIGGER', CCCI_RUN_TRIGGER.safeParse(set(env.CCCI_RUN_TRIGGER)))
  const by = valid('CCCI_TRIGGERED_BY', CCCI_TRIGGERED_BY.safeParse(set(env.CCCI_TRIGGERED_BY)))
  const pr = set(env.PR)
  const trigger: RunTrigger =
    explicit ??
    (pr !== undefined && /^\d+$/.test(pr) ? 'pr' : env.DRONE === 'true' ? 'drone' : 'local')
  return { trigger, triggeredBy: by ?? null, problems }
}
