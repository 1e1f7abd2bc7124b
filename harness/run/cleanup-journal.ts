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
      await driver.undeploy(app)
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

/** Unwinds the run's cleanup stack: every step is tried, failures are collected, none stops the rest. */
export async function unwindCleanup(runDir: string, target: UndoTarget): Promise<UnwindStep[]> {
  const entries = tryReadState(runDir)?.cleanup ?? []
  const steps: UnwindStep[] = []
  for (const entry of unwindOrder(entries)) {
    try {
      steps.push({ step: UNDO_STEP[entry.kind], ok: true, detail: await undo(entry, target) })
    } catch (error) {
      steps.push({
        step: UNDO_STEP[entry.kind],
        ok: false,
        detail: error instanceof Error ? error.message : String(error),
      })
    }
  }
  return steps
}
