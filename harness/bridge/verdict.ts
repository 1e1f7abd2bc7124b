import type { CommitState } from '../forge/gitea-schemas.ts'
import type { RunOutput } from './run-output.ts'
import { QUICK_NOTE, statusContextFor } from './trigger-messages.ts'

export interface VerdictInput {
  /** The run's results, or undefined when it wrote none (it stopped before deploying). */
  output: RunOutput | undefined
  /** Why there is no output (a readable sentence), when there is none. */
  missing: string | undefined
  quick: boolean
  /** The exit code of the run. */
  exitCode: number | undefined
  /** The build's page (its logs). */
  logLink: string | undefined
  statusContext: string
}

export interface Verdict {
  state: CommitState
  context: string
  description: string
  comment: string
}

/** Failing tests listed in the status description at most. */
const DESCRIPTION_MAX = 140

/**
 * The commit status and the final PR comment of a run. A full run passes with `success` on the
 * full-run context; a quick run reports on its own context and a pass is only `warning` (lower
 * confidence): it never sets a passing required status. No result at all is an `error`.
 */
export function decideVerdict(input: VerdictInput): Verdict {
  const context = statusContextFor(input.statusContext, input.quick)
  const logs = input.logLink === undefined ? 'the build log' : `[the build log](${input.logLink})`
  const footer = ['', `Logs: ${logs}`]
  if (input.output === undefined) {
    const code = input.exitCode === undefined ? '' : ` (exit code ${input.exitCode})`
    return {
      state: 'error',
      context,
      description: 'the run produced no result; see the build log',
      comment: [
        `### cc-ci: no result${code}`,
        '',
        input.missing ?? 'The run stopped before it wrote its results (it did not deploy).',
        ...(input.quick ? ['', QUICK_NOTE] : []),
        ...footer,
      ].join('\n'),
    }
  }
  const { result, summary } = input.output
  // A run that exited non-zero but recorded a pass (a teardown leftover) is not a pass.
  const ok = result.ok && (input.exitCode === undefined || input.exitCode === 0)
  const failing = result.tiers.flatMap((t) => t.tests.filter((c) => c.state === 'failed'))
  const description = (
    ok
      ? `${input.quick ? 'quick run passed (lower confidence)' : 'passed'}, level ${result.level}/5`
      : `failed, level ${result.level}/5${failing.length > 0 ? `: ${failing.length} failing test(s)` : ''}`
  ).slice(0, DESCRIPTION_MAX)
  const state: CommitState = ok ? (input.quick ? 'warning' : 'success') : 'failure'
  const notes = [
    ...(input.quick ? [QUICK_NOTE, ''] : []),
    ...(result.ok && !ok ? [`⚠️ the run exited with code ${input.exitCode}: not a pass.`, ''] : []),
  ]
  return {
    state,
    context,
    description,
    comment: [...notes, summary.trimEnd(), ...footer].join('\n'),
  }
}
