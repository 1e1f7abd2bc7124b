import type { TaskMeta } from 'vitest'
import { hostSnapshot, snapshotDiff } from './host-snapshot.ts'

/** What one case of the fault and bad-input suite (test/reliability/) measured. */
export type ReliabilityFigure =
  | { kind: 'fault'; residue: string[] }
  | { kind: 'bad input'; outcome: 'clear error' | 'handled safely' | 'unclear'; residue: string[] }
  | { kind: 'foreign'; touched: string[] }
  | { kind: 'canary'; channels: number; leaks: string[] }

declare module 'vitest' {
  interface TaskMeta {
    reliability?: ReliabilityFigure
  }
}

/** Records a case's figure on its test, where the reliability reporter reads it. */
export function recordFigure(task: { meta: TaskMeta }, figure: ReliabilityFigure): void {
  task.meta.reliability = figure
}

/**
 * What a case left on the host: lines of {@link hostSnapshot} that were not in `before`. Docker
 * removes some objects a moment after it was asked to (a container of a removed service), so
 * what is still there after `settleMs` counts.
 */
export async function residueSince(
  before: readonly string[],
  settleMs = 20_000,
): Promise<string[]> {
  const deadline = Date.now() + settleMs
  for (;;) {
    const added = snapshotDiff(before, await hostSnapshot()).added
    if (added.length === 0 || Date.now() >= deadline) {
      return added
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}
