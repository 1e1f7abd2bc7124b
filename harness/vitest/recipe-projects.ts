import { dirname, join } from 'node:path'
// Types only: importing vitest/config's values would load Vite and Rolldown into every `ccci plan`.
import type { TestProjectInlineConfiguration, ViteUserConfig } from 'vitest/config'
import { tierDefinition, type TierDefinition } from '../run/tier-definition.ts'
import { groupOrder, TIERS } from '../run/tier-names.ts'
import { loadSettings } from '../config/settings.ts'
import { errorData, type ErrorData } from '../error-data.ts'
import { describeError } from '../errors.ts'
import {
  describeRejected,
  readAllowlist,
  rejectedLines,
  type RejectedLine,
} from '../overlays/allowlist.ts'
import { createLogger } from '../log.ts'
import { discoverRecipes, loadRecipeConfig, type RecipeEntry } from '../recipe/load-recipe.ts'
import { zeroConfig, type RecipeConfig } from '../recipe/recipe-config.ts'
import { validateRecipeName } from '../recipe/recipe-name.ts'
import { skipGenericReason } from '../overlays/skip-generic.ts'
import { prepareSource, type PreparedSource } from '../run/source.ts'
import { planTier, type TierPlan } from '../overlays/tier-plan.ts'
import { readTrigger, type Trigger } from '../run/trigger.ts'
import type { Tier } from '../run/tier-names.ts'
import { NO_TESTS } from '../results/tier-results.ts'
import { quickOutlook } from '../warm/quick-outlook.ts'
import { QUICK_SKIPS, type QuickDecision } from '../warm/quick-plan.ts'
import type { TierProvided } from './context.ts'

/** How much longer than a tier's timeout its operation may take before cc-ci abandons it. */
const OPERATION_MARGIN_MS = 30 * 60_000
/** How much later than that Vitest's hook timeout comes: cc-ci's deadline, with its error, first. */
const HOOK_MARGIN_MS = 60_000

/** Recipes cc-ci can run: configured folders, plus `CCCI_RECIPE` as a zero-config recipe. */
export function knownRecipes(): RecipeEntry[] {
  const settings = loadSettings()
  const entries = discoverRecipes(settings.recipeDirs)
  const extra = process.env.CCCI_RECIPE
  if (extra !== undefined && extra !== '' && !entries.some((e) => e.name === extra)) {
    entries.push({ name: validateRecipeName(extra), dir: undefined })
  }
  return entries
}

export interface RecipePlan {
  recipe: string
  config: RecipeConfig
  configError: string | undefined
  /** The same error as data, raised once by the global setup. */
  configFailure: ErrorData | undefined
  source: PreparedSource | undefined
  sourceError: string | undefined
  /** The same error as data (`ccci inspect` raises it). */
  sourceFailure: ErrorData | undefined
  repoLocalApproved: boolean
  /** Lines of the applicable repo-local-approved.txt files that approve nothing. */
  allowlistRejected: RejectedLine[]
  tiers: TierPlan[]
  /** Tiers whose generic suite has nothing to do for the fetched source, and why (`genericIdle`). */
  idleGeneric: Partial<Record<Tier, string>>
  /**
   * Whether the run is quick, decided once for the recipe the run tests (undefined for the
   * others): the setup deploys accordingly, and tiers a quick run skips get no file to load.
   */
  quick: QuickDecision | undefined
}

/**
 * Whether a recipe's own `tests/` may run: it is listed in `repo-local-approved.txt` beside its
 * config folder, or in `recipes/repo-local-approved.txt` of this checkout. Default deny.
 */
export function approvedForRepoLocal(entry: RecipeEntry, root: string): boolean {
  return allowlistFiles(entry, root).some((file) => readAllowlist(file).approved.has(entry.name))
}

/** The allowlist files that apply to a recipe. */
export function allowlistFiles(entry: RecipeEntry, root: string): string[] {
  const files = [join(root, 'recipes', 'repo-local-approved.txt')]
  if (entry.dir !== undefined) {
    files.push(join(dirname(entry.dir), 'repo-local-approved.txt'))
  }
  return files
}

/**
 * The tier plans of one recipe. The source is fetched (and its repo-local tests snapshotted) only
 * when `fetch` is set: for the recipe a command line selects.
 */
export async function planRecipe(
  entry: RecipeEntry,
  fetch: boolean,
  trigger: Pick<Trigger, 'src' | 'ref'> & { quick?: boolean } = readTrigger(),
  definitions: readonly TierDefinition[] = [],
): Promise<RecipePlan> {
  const settings = loadSettings()
  let config = zeroConfig()
  let configError: string | undefined
  let configFailure: ErrorData | undefined
  try {
    config = await loadRecipeConfig(entry)
  } catch (error) {
    configError = describeError(error)
    configFailure = errorData(error, 'CCCI_RECIPE_CONFIG')
  }
  let source: PreparedSource | undefined
  let sourceError: string | undefined
  let sourceFailure: ErrorData | undefined
  if (fetch && configError === undefined) {
    try {
      source = await prepareSource(settings.home, entry.name, config, trigger, entry.dir)
    } catch (error) {
      sourceError = describeError(error)
      sourceFailure = errorData(error, 'CCCI_RECIPE_SOURCE')
    }
  }
  const quick =
    source === undefined
      ? undefined
      : await quickOutlook(settings.home, entry.name, config.warmCanonical, trigger.quick === true)
  const approved = approvedForRepoLocal(entry, settings.root)
  const allowlistRejected = rejectedLines(allowlistFiles(entry, settings.root))
  if (fetch) {
    // The recipe this run tests: say which allowlist lines approve nothing.
    allowlistRejected.forEach((r) => createLogger(entry.name).warn(describeRejected(r)))
  }
  const idleGeneric: Partial<Record<Tier, string>> = {}
  for (const definition of definitions) {
    const idle = source === undefined ? undefined : definition.genericIdle?.(source)
    if (idle !== undefined) {
      idleGeneric[definition.name] = idle
    }
  }
  const tiers = TIERS.map((tier) =>
    planTier({
      tier,
      genericDir: join(settings.root, 'generic', tier),
      recipeDir: entry.dir === undefined ? undefined : join(entry.dir, tier),
      repoLocalDir:
        source?.repoLocalDir === undefined ? undefined : join(source.repoLocalDir, tier),
      repoLocalApproved: approved,
      skipGenericReason: skipGenericReason(config, tier) ?? idleGeneric[tier],
    }),
  )
  return {
    recipe: entry.name,
    config,
    configError,
    configFailure,
    source,
    sourceError,
    sourceFailure,
    repoLocalApproved: approved,
    allowlistRejected,
    tiers,
    idleGeneric,
    quick,
  }
}

/**
 * The tiers whose files are left out of the run, and why: no file would run, or a quick run
 * leaves them to cold runs (loading files only to skip every test costs time; a tier project, a
 * worker). Reported as skipped.
 */
export function droppedTiers(
  plan: Pick<RecipePlan, 'tiers' | 'quick' | 'idleGeneric'>,
): Partial<Record<Tier, string>> {
  const dropped: Partial<Record<Tier, string>> = {}
  for (const tier of plan.tiers) {
    const quickSkip = plan.quick?.quick === true ? QUICK_SKIPS[tier.tier] : undefined
    if (tier.files.length === 0) {
      dropped[tier.tier] = plan.idleGeneric[tier.tier] ?? NO_TESTS
    } else if (quickSkip !== undefined) {
      dropped[tier.tier] = quickSkip
    }
  }
  return dropped
}

/**
 * The Vitest config of one recipe. `whole` (`runsWhole`): one project named `<recipe>` with the
 * files of every tier, which all run in one worker (a worker per tier costs about 0.7 s each);
 * else a container of one child project per tier that has files, named `<recipe> (<tier>)` and
 * ordered by `groupOrder`, so `--project '<recipe> (install)'` runs one tier.
 * `fetch`: the recipe is the one the command line selects (its source is fetched and pinned).
 * `definitions` are checked already (`checkTierDefinitions`).
 */
export async function recipeContainer(
  entry: RecipeEntry,
  fetch: boolean,
  definitions: readonly TierDefinition[],
  whole: boolean,
): Promise<ViteUserConfig> {
  const settings = loadSettings()
  const recipe = entry.name
  const plan = await planRecipe(entry, fetch, readTrigger(), definitions)
  const dropped = droppedTiers(plan)
  const provided: TierProvided[] = plan.tiers
    .filter((tier) => dropped[tier.tier] === undefined)
    .map((tier) => {
      const testMs =
        (plan.config.timeouts[tier.tier] ?? tierDefinition(definitions, tier.tier).timeoutSeconds) *
        1000
      return {
        recipe,
        tier: tier.tier,
        plan: tier,
        // The tier's operation runs in a hook; its own deadlines (deploy, convergence, hooks)
        // end it, or cc-ci's, never Vitest's, which would leave it running beside the next file.
        timeouts: {
          testMs,
          operationMs: testMs + OPERATION_MARGIN_MS,
          hookMs: testMs + OPERATION_MARGIN_MS + HOOK_MARGIN_MS,
        },
        source: plan.source,
        sourceError: plan.sourceError,
        configError: plan.configFailure,
        configDir: entry.dir,
        droppedTiers: dropped,
        quick: plan.quick,
        repoLocalApproved: plan.repoLocalApproved,
      }
    })
  const project = (name: string, tiers: TierProvided[]): TestProjectInlineConfiguration => ({
    test: {
      name,
      // A tier project has no `root` of its own (its container's applies): then every tier
      // shares one Vite server, its module graph and its transforms.
      include: tiers.flatMap((t) => t.plan.files.map((f) => f.path)),
      setupFiles: [join(settings.root, 'tiers', 'tier-setup.ts')],
      // Files run one at a time against one deployment; a fresh worker per file buys nothing.
      // The tier gate (tier-setup.ts) undoes what the file before left (stubs, fake timers) and
      // sets each file's timeouts (vi.setConfig) from its tier.
      isolate: false,
      provide: { 'ccci.tiers': tiers },
    },
  })
  const alias = {
    // Repo-local tests live outside this checkout; they import the harness through this alias.
    resolve: {
      alias: {
        '@cc-ci/harness': join(settings.root, 'harness', 'index.ts'),
      },
    },
  }
  if (whole) {
    const one = project(recipe, provided)
    return { ...alias, test: { ...one.test, root: settings.root } }
  }
  const projects = provided.map((tier) => {
    const child = project(tier.tier, [tier])
    return { test: { ...child.test, sequence: { groupOrder: groupOrder(tier.tier) } } }
  })
  return { ...alias, test: { name: recipe, root: settings.root, projects } }
}
