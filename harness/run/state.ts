import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { TIERS } from './tier-names.ts'
import { UndoEntrySchema } from './undo-entry.ts'

const TierSchema = z.enum(TIERS)

export const OpOutcomeSchema = z.object({
  status: z.enum(['pass', 'fail', 'skip']),
  /** The printable error (already redacted) when it failed. */
  error: z.string().optional(),
  reason: z.string().optional(),
  startedAt: z.string(),
  durationMs: z.number(),
  details: z.record(z.string(), z.unknown()).default({}),
})
export type OpOutcome = z.infer<typeof OpOutcomeSchema>

/**
 * `runDir/state.json`: what a run created and what its tiers did. Written atomically; read by
 * later tiers, the teardown, the janitor and a post-mortem. `provide()` cannot carry values made
 * after the run starts, this file can.
 */
export const RunStateSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  recipe: z.string(),
  domain: z.string(),
  stack: z.string(),
  driver: z.enum(['swarm', 'abra']),
  envFile: z.string(),
  recipeDir: z.string(),
  createdAt: z.string(),
  /** `app new` + first deploy count: must be 1 (deploy once). */
  installs: z.number().int().default(0),
  ops: z.partialRecord(TierSchema, OpOutcomeSchema).default({}),
  failedTiers: z.array(TierSchema).default([]),
  /** Values tiers and recipe hooks pass on (markers, backup ids...). */
  data: z.record(z.string(), z.unknown()).default({}),
  /** How to undo what the run created, oldest first (registered before each creation). */
  cleanup: z.array(UndoEntrySchema).default([]),
})
export type RunState = z.infer<typeof RunStateSchema>

export function stateFile(runDir: string): string {
  return join(runDir, 'state.json')
}

export function readState(runDir: string): RunState {
  return RunStateSchema.parse(JSON.parse(readFileSync(stateFile(runDir), 'utf8')))
}

export function tryReadState(runDir: string): RunState | undefined {
  try {
    return existsSync(stateFile(runDir)) ? readState(runDir) : undefined
  } catch {
    return undefined
  }
}

export function writeState(runDir: string, state: RunState): void {
  const file = stateFile(runDir)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(tmp, file)
}

/** Read, change, write. Tiers run one file at a time, so there is one writer at a time. */
export function updateState(runDir: string, change: (state: RunState) => void): RunState {
  const state = readState(runDir)
  change(state)
  writeState(runDir, state)
  return state
}
