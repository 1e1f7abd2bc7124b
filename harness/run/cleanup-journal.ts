import type { AppDriver, AppRef } from '../driver/app-driver.ts'
import type { Logger } from '../log.ts'
import { syncLocalProxy } from '../proxy/proxy-sync.ts'
import { tryReadState, updateState } from './state.ts'
import { UNDO_STEP, type UndoEntry } from './undo-entry.ts'

/**
 * The run's cleanup stack, kept in its state file so that every process of the run (the global
 * setup, tier workers) can add to it and the teardown, or the janitor after a crash, can unwind
 * it. Each step registers the undo of what it is about to create, before creating it.
 */
export function registerUndo(runDir: string, entry: UndoEntry): void {
  updateState(runDir, (state) => {
    if (!state.cleanup.some((e) => e.kind === entry.kind)) {
      state.cleanup.push(entry)
    }
  })
}

/** The undo steps in the order they run: newest first, each kind once. */
export function unwindOrder(entries: readonly UndoEntry[]): UndoEntry[] {
  const seen = new Set<UndoEntry['kind']>()
  return [...entries].reverse().filter((e) => !seen.has(e.kind) && seen.add(e.kind) !== undefined)
}

/**
 * When each undo may run, pure: the stack first (its containers hold the volumes, secrets and
 * networks, and the proxy routes follow what is deployed), then the app's objects and routes
 * together, the env file last (abra finds an app, its volumes and secrets by it). Entries keep
 * their unwind order within a stage. With `parallel` false (a driver whose steps must not overlap)
 * every undo is a stage of its own, in unwind order.
 */
export function unwindStages(entries: readonly UndoEntry[], parallel: boolean): UndoEntry[][] {
  const ordered = unwindOrder(entries)
  if (!parallel) {
    return ordered.map((entry) => [entry])
  }
  const stageOf = (kind: UndoEntry['kind']): number =>
    kind === 'stack' ? 0 : kind === 'env-file' ? 2 : 1
  return [0, 1, 2]
    .map((stage) => ordered.filter((entry) => stageOf(entry.kind) === stage))
    .filter((stage) => stage.length > 0)
}

export interface UndoTarget {
  app: AppRef
  driver: AppDriver
  log?: Logger
}

/** Undoes one entry; returns what it removed, for the report. Every undo is idempotent. */
export async function undo(entry: UndoEntry, target: UndoTarget): Promise<string> {
  const { app, driver } = target
  switch (entry.kind) {
    case 'stack':
      // The run's data goes with it: its containers are removed, not stopped one by one by Swarm.
      await driver.undeploy(app, { discard: true })
      return app.stack
    case 'volumes':
      return (await driver.removeVolumes(app)).join(', ')
    case 'secrets':
      return (await driver.removeSecrets(app)).join(', ')
    case 'proxy-routes':
      await syncLocalProxy(target.log)
      return ''
    case 'env-file':
      await driver.removeEnv(app)
      return app.envFile
  }
}

export interface UnwindStep {
  step: string
  ok: boolean
  detail: string
}

async function undoStep(entry: UndoEntry, target: UndoTarget): Promise<UnwindStep> {
  try {
    return { step: UNDO_STEP[entry.kind], ok: true, detail: await undo(entry, target) }
  } catch (error) {
    return {
      step: UNDO_STEP[entry.kind],
      ok: false,
      detail: error instanceof Error ? error.message : String(error),
    }
  }
}

/**
 * Unwinds the run's cleanup stack in stages (`unwindStages`): the undos of a stage run at once.
 * Every step is tried, failures are collected, none stops the rest; the steps are reported stage
 * by stage, in unwind order within a stage. A driver whose calls must not overlap (abra) has its
 * undos run one at a time.
 */
export async function unwindCleanup(runDir: string, target: UndoTarget): Promise<UnwindStep[]> {
  const entries = tryReadState(runDir)?.cleanup ?? []
  const steps: UnwindStep[] = []
  for (const stage of unwindStages(entries, target.driver.concurrentCalls)) {
    steps.push(...(await Promise.all(stage.map((entry) => undoStep(entry, target)))))
  }
  return steps
}
