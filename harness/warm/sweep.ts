import { existsSync, readdirSync } from 'node:fs'
import type { Settings } from '../config/settings.ts'
import { describeError } from '../errors.ts'
import { listTags } from '../git/index.ts'
import { leaseAlive, readLeases } from '../janitor/lease.ts'
import type { Logger } from '../log.ts'
import { discoverRecipes, loadRecipeConfig } from '../recipe/load-recipe.ts'
import { isRecipeName } from '../recipe/recipe-name.ts'
import { redact } from '../redaction/redact.ts'
import { prepareSource } from '../run/source.ts'
import { readCanonical, readRegistry } from './canonical-record.ts'
import { removeCanonical } from './remove-canonical.ts'
import { sweepPlan, type EnrolledRecipe, type SweepStep } from './sweep-plan.ts'
import { warmRoot } from './warm-paths.ts'

/** One recipe's line of the sweep report. */
export interface SweepRow {
  recipe: string
  action: SweepStep['action']
  reason: string
  tag: string | undefined
  /** What came of it: promoted, not promoted, removed, skipped, failed. */
  outcome: 'promoted' | 'not promoted' | 'removed' | 'skipped' | 'failed'
  detail: string | undefined
}

export interface SweepInput {
  settings: Settings
  log: Logger
  /** A cold run of the recipe at the tag (`vitest run --project <recipe>` with REF): its exit code. */
  runCold: (recipe: string, tag: string) => Promise<number>
  /** Only these recipes (default: every recipe cc-ci knows). */
  only?: readonly string[]
}

/**
 * The nightly sweep: for each enrolled recipe, fetch its tags and compare the newest release
 * with its canonical; run cold on a newer one (the run promotes when green); skip around active
 * runs; remove canonicals of recipes no longer enrolled. One row per recipe.
 */
export async function sweep(input: SweepInput): Promise<SweepRow[]> {
  const { settings } = input
  const wanted = (recipe: string) => input.only === undefined || input.only.includes(recipe)
  const enrolled: EnrolledRecipe[] = []
  const rows: SweepRow[] = []
  const live = readLeases(settings.home).filter(leaseAlive)
  for (const entry of discoverRecipes(settings.recipeDirs).filter((e) => wanted(e.name))) {
    try {
      const config = await loadRecipeConfig({ name: entry.name, dir: entry.dir })
      if (!config.warmCanonical) {
        continue
      }
      const source = await prepareSource(
        settings.home,
        entry.name,
        config,
        { src: undefined, ref: undefined },
        entry.dir,
      )
      const tags = (await listTags(source.cacheRepo)).map((t) => t.name)
      enrolled.push({
        recipe: entry.name,
        tags,
        activeRun: live.find((lease) => lease.recipe === entry.name)?.runId,
      })
    } catch (error) {
      // A recipe whose config or source cannot be read stays as it is: never removed for it.
      enrolled.push({ recipe: entry.name, tags: [], activeRun: undefined })
      rows.push(
        row(
          { recipe: entry.name, action: 'skip', reason: '' },
          'failed',
          redact(describeError(error)),
        ),
      )
    }
  }
  const folders = existsSync(warmRoot(settings.home))
    ? readdirSync(warmRoot(settings.home)).filter((name) => isRecipeName(name) && wanted(name))
    : []
  const failedReads = new Set(rows.map((r) => r.recipe))
  const plan = sweepPlan(enrolled, readRegistry(settings.home), folders).filter(
    (step) => !failedReads.has(step.recipe),
  )
  for (const step of plan) {
    rows.push(await perform(step, input))
  }
  return rows.sort((a, b) => (a.recipe < b.recipe ? -1 : a.recipe > b.recipe ? 1 : 0))
}

function row(step: SweepStep, outcome: SweepRow['outcome'], detail?: string): SweepRow {
  return {
    recipe: step.recipe,
    action: step.action,
    reason: step.reason,
    tag: step.action === 'run' ? step.tag : undefined,
    outcome,
    detail,
  }
}

async function perform(step: SweepStep, input: SweepInput): Promise<SweepRow> {
  const { settings, log } = input
  if (step.action === 'skip') {
    return row(step, 'skipped')
  }
  if (step.action === 'remove') {
    try {
      const removed = await removeCanonical(settings, step.recipe, log)
      return row(step, 'removed', removed.join(', '))
    } catch (error) {
      return row(step, 'failed', redact(describeError(error)))
    }
  }
  log.step(`sweep: ${step.recipe} ${step.tag}: a cold run (${step.reason})`)
  const code = await input.runCold(step.recipe, step.tag)
  const record = readCanonical(settings.home, step.recipe)
  if (record?.status === 'ok' && record.version === step.tag) {
    return row(step, 'promoted', `run exit code ${code}`)
  }
  return row(
    step,
    'not promoted',
    code === 0
      ? 'the run passed but did not promote: see its result.json `promotion`'
      : `the run failed (exit code ${code}): the canonical is unchanged`,
  )
}
