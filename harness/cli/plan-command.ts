import { parseArgs } from 'node:util'
import { validateRecipeName } from '../recipe/recipe-name.ts'
import { describeRejected } from '../overlays/allowlist.ts'
import { showPlannedFile, type PlannedFile } from '../overlays/tier-plan.ts'
import { knownRecipes, planRecipe, type RecipePlan } from '../vitest/recipe-projects.ts'
import { loadRecipeConfig } from '../recipe/load-recipe.ts'
import { quickOutlook } from '../warm/quick-outlook.ts'
import { describeQuickPlan } from '../warm/quick-plan.ts'
import type { Command } from './command.ts'
import { SOURCE_OPTIONS, sourceFlags } from './source-flags.ts'

/** The plan as text: per tier, each file with its layer, skipped generic files, repo-local files not run. */
export function formatPlan(plan: RecipePlan, root: string): string {
  const show = (file: PlannedFile, tier: string) => showPlannedFile(file, tier, root)
  const lines = [
    `plan for ${plan.recipe}` +
      (plan.source === undefined
        ? ' (source not fetched)'
        : ` (${plan.source.src} @ ${plan.source.commit.slice(0, 8)})`),
  ]
  if (plan.configError !== undefined) {
    lines.push(`  config error: ${plan.configError}`)
  }
  if (plan.sourceError !== undefined) {
    lines.push(`  source error: ${plan.sourceError}`)
  }
  for (const rejected of plan.allowlistRejected) {
    lines.push(`  allowlist: ${describeRejected(rejected)}`)
  }
  for (const tier of plan.tiers) {
    lines.push(`${tier.tier}${tier.files.length === 0 ? ' (nothing runs)' : ''}`)
    for (const file of tier.files) {
      const replaces = tier.replaced.filter((r) => r.relative === file.relative).map((r) => r.layer)
      lines.push(
        `  run      ${file.layer.padEnd(10)} ${show(file, tier.tier)}${replaces.length > 0 ? `  (replaces ${replaces.join(', ')})` : ''}`,
      )
    }
    for (const file of tier.skippedGeneric) {
      lines.push(`  skipped  ${file.layer.padEnd(10)} ${show(file, tier.tier)}  (${file.reason})`)
    }
    for (const file of tier.notRun) {
      lines.push(`  not run  ${file.layer.padEnd(10)} ${show(file, tier.tier)}  (${file.reason})`)
    }
  }
  return `${lines.join('\n')}\n`
}

export const planCommand: Command = {
  summary: 'show which test files each tier of a recipe runs, and from which layer',
  usage: 'plan <recipe> [--src URL|PATH] [--ref REF] [--no-fetch] [--quick] [--json]',
  async run(args, { settings }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...SOURCE_OPTIONS,
        'no-fetch': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
      },
    })
    const recipe = validateRecipeName(positionals[0] ?? '')
    const entry = knownRecipes().find((e) => e.name === recipe) ?? { name: recipe, dir: undefined }
    const plan = await planRecipe(entry, !values['no-fetch'], sourceFlags(values))
    const quick = values.quick
      ? await quickOutlook(
          settings.home,
          recipe,
          (await loadRecipeConfig({ name: recipe, dir: entry.dir })).warmCanonical,
          true,
        )
      : undefined
    process.stdout.write(
      values.json
        ? `${JSON.stringify(quick === undefined ? plan : { ...plan, quick }, null, 2)}\n`
        : formatPlan(plan, settings.root) +
            (quick === undefined ? '' : `${describeQuickPlan(quick).join('\n')}\n`),
    )
    return plan.configError === undefined ? 0 : 1
  },
}
