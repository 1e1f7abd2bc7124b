import type { RecipeConfig } from '../recipe/recipe-config.ts'
import type { RunDeps } from './run-deps.ts'

/** The dependencies a recipe can declare (`deps` in recipe.ts). */
export type Dependency = RecipeConfig['deps'][number]

/** The run a dependency provisions for. */
export interface DependencyRun {
  runId: string
  recipe: string
  domain: string
  /** The app's base URL, `https://<domain>[:port]/`. */
  url: string
  home: string
  runDir: string
  config: RecipeConfig
}

/** How the provider was made ready: a warm one answered, or one was started cold for this run. */
export interface Readiness {
  state: 'warm' | 'cold'
  detail: string
}

/** What a dependency gives the run: app env values, and what the tiers and the install read. */
export interface Provided {
  env: Record<string, string>
  deps: RunDeps
}

/**
 * The port every dependency provider implements. Each call that fails throws a `CcciError`:
 * the run reports it as an infrastructure failure, apart from the recipe's own.
 */
export interface DependencyProvider {
  readonly name: Dependency
  /** A warm provider that answers, or one started cold for this run; throws when neither. */
  ready(): Promise<Readiness>
  /** What the run records in its state before it provisions: enough to release without it. */
  journal(run: DependencyRun): Record<string, unknown>
  /** Creates the run's resources (a realm, its client and user). */
  provision(run: DependencyRun): Promise<Provided>
  /** Removes what {@link provision} created, from the journal; returns what it removed. */
  release(journal: unknown): Promise<string>
  /**
   * Removes resources of runs that are not alive. `aliveRuns` (the run ids with a live lease) is
   * read after the resources are listed: a run takes its lease before it provisions.
   */
  reapDead(aliveRuns: () => ReadonlySet<string>, options: { dryRun: boolean }): Promise<string[]>
}
