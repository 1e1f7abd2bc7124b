import { expect } from 'vitest'
import type { TaskMeta } from 'vitest'
import type { RunResult } from '../../harness/results/report-files.ts'
import { recordFigure, residueSince } from './reliability.ts'

/** How a bad input ended: the exit code, everything the command printed, the run's result. */
export interface Ending {
  code: number
  output: string
  result?: RunResult | undefined
}

/**
 * What a bad input must lead to: a clear error (a non-zero exit and output matching `error`,
 * which names what was wrong), or, for an input that is harmless once handled right, a check
 * that it was (`handled` throws when it was not).
 */
export type Expectation = { error: RegExp } | { handled: (ending: Ending) => void | Promise<void> }

/**
 * Judges one bad input: records its outcome and what it left on the host (compared with
 * `baseline`) for the reliability reporter, then fails the test unless the outcome is the
 * expected one and nothing was left.
 */
export async function judgeBadInput(
  task: { meta: TaskMeta },
  baseline: readonly string[],
  ending: Ending,
  expectation: Expectation,
): Promise<void> {
  const residue = await residueSince(baseline)
  let problem: Error | undefined
  if ('error' in expectation) {
    if (ending.code === 0 || !expectation.error.test(ending.output)) {
      problem = new Error(
        `expected a non-zero exit and output matching ${expectation.error}; exit ${ending.code}`,
      )
    }
  } else {
    try {
      await expectation.handled(ending)
    } catch (error) {
      problem = error instanceof Error ? error : new Error(String(error))
    }
  }
  recordFigure(task, {
    kind: 'bad input',
    outcome:
      problem !== undefined ? 'unclear' : 'error' in expectation ? 'clear error' : 'handled safely',
    residue,
  })
  expect(residue, 'left on the host').toEqual([])
  if (problem instanceof Error) {
    problem.message = `${problem.message}\n--- output ---\n${ending.output}`
    throw problem
  }
}
