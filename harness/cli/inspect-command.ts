import { parseArgs } from 'node:util'
import { formatInspection } from '../inspect/format-inspection.ts'
import { inspectRecipe } from '../inspect/inspect-recipe.ts'
import type { Command } from './command.ts'
import { recipeArgs } from './recipe-args.ts'
import { SOURCE_OPTIONS, sourceFlags } from './source-flags.ts'

export const inspectCommand: Command = {
  summary:
    'what a run would do, without deploying: compose files, services, secrets, routes, backup, lint, host access, tiers (docs/inspect.md)',
  usage: 'inspect <recipe> [--src URL|PATH] [--ref REF] [--pr N] [--json]',
  async run(args, { settings }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...SOURCE_OPTIONS,
        pr: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    })
    const { recipe } = recipeArgs(positionals, values.pr, this.usage)
    const inspection = await inspectRecipe(
      { recipe, ...sourceFlags(values), pr: values.pr ?? 'local' },
      settings,
    )
    process.stdout.write(
      values.json ? `${JSON.stringify(inspection, null, 2)}\n` : formatInspection(inspection),
    )
    return 0
  },
}
