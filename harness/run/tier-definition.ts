import type { AppHandle } from '../testing/app-handle.ts'
import type { Tier } from './tier-names.ts'
import { TIERS } from './tier-names.ts'
import type { UndoEntry } from './undo-entry.ts'

/** The `recipes/<recipe>/ops.ts` export a tier runs before its operation (install: after its deploy). */
export type RecipeHookName = 'preInstall' | 'preUpgrade' | 'preBackup' | 'preRestore'

/** What a tier's operation works with: the app, plus the run's cleanup stack and signal. */
export interface TierOperationContext extends AppHandle {
  /** Registers how to undo what the operation is about to create (before creating it). */
  registerUndo: (kind: UndoEntry['kind']) => void
  /** Counts an `app new` + first deploy: a run deploys once, and reports the count. */
  countDeploy: () => void
  /** Aborted when the run is interrupted (SIGINT/SIGTERM). */
  signal: AbortSignal
}

/** A tier's operation: performed once per run; what it returns is kept as `<tier>.<key>`. */
export type TierOperation = (context: TierOperationContext) => Promise<Record<string, unknown>>

/** Everything about one tier, in one place (`tiers/<tier>.ts`); the runner takes it as data. */
export interface TierDefinition {
  name: Tier
  /** One line: what the tier proves. */
  summary: string
  /** Tiers that must have passed (not failed, not skipped) before this one runs. */
  requires: readonly Tier[]
  /** Default test timeout in seconds; `timeouts.<tier>` in recipe.ts raises it. */
  timeoutSeconds: number
  /** The recipe hook of ops.ts that goes with this tier. */
  hook: RecipeHookName | undefined
  /**
   * When the operation runs: `setup` in the global setup, before any tier file (install: the one
   * deploy; its hook runs after it, before the tier's tests); `tier` before the tier's first file,
   * after its hook.
   */
  when: 'setup' | 'tier'
  operation: TierOperation
  /** The values the operation returns, `key: what it is` (kept as `<tier>.<key>`). */
  records: Readonly<Record<string, string>>
  /**
   * Why the tier's generic suite has nothing to do for the recipe's fetched source, if it has
   * nothing (e.g. custom: the recipe ships no Playwright suite): its files are left out of the
   * run, and a tier left with no file is skipped with this reason, without starting a worker.
   */
  genericIdle?: (source: { repoLocalDir: string | undefined }) => string | undefined
}

/** Declares a tier (identity: the type checks the shape). */
export function defineTier(definition: TierDefinition): TierDefinition {
  return definition
}

/** Thrown by a tier operation that does not apply: the tier is skipped with the reason. */
export class TierSkip extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'TierSkip'
  }
}

/**
 * The tier definitions as the runner needs them: one per tier name, in lifecycle order, each
 * requiring only earlier tiers, exactly one performed by the setup. Throws on anything else.
 */
export function checkTierDefinitions(definitions: readonly TierDefinition[]): TierDefinition[] {
  const names = definitions.map((d) => d.name)
  if (names.join() !== TIERS.join()) {
    throw new Error(
      `tier definitions must be ${TIERS.join(', ')} in that order, got ${names.join(', ')}`,
    )
  }
  for (const [index, definition] of definitions.entries()) {
    const later = definition.requires.filter((r) => TIERS.indexOf(r) >= index)
    if (later.length > 0) {
      throw new Error(`tier ${definition.name} requires ${later.join(', ')}, which run(s) after it`)
    }
  }
  const setup = definitions.filter((d) => d.when === 'setup')
  if (setup.length !== 1 || setup[0]?.name !== TIERS[0]) {
    throw new Error(`exactly the first tier (${TIERS[0]}) is performed by the setup`)
  }
  return [...definitions]
}

/** The definition of one tier. */
export function tierDefinition(definitions: readonly TierDefinition[], tier: Tier): TierDefinition {
  const found = definitions.find((d) => d.name === tier)
  if (found === undefined) {
    throw new Error(`no definition for tier ${tier}`)
  }
  return found
}
