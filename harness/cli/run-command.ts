import { parseArgs } from 'node:util'
import { isTier, TIERS } from '../run/tier-names.ts'
import { CcciError } from '../errors.ts'
import { hostUp } from '../host/local-host.ts'
import { discoverRecipes } from '../recipe/load-recipe.ts'
import type { Command } from './command.ts'
import { recipeArgs } from './recipe-args.ts'
import { SOURCE_OPTIONS, sourceFlags } from './source-flags.ts'
import { runVitest } from './vitest-cli.ts'

export const runCommand: Command = {
  summary: 'test one recipe: deploy once, run the tiers, tear down',
  usage:
    'run <recipe> [--src URL|PATH] [--ref REF] [--pr N] [--quick] [--tier T]... [--driver swarm|abra]',
  async run(args, { settings, log }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...SOURCE_OPTIONS,
        pr: { type: 'string' },
        quick: { type: 'boolean', default: false },
        tier: { type: 'string', multiple: true },
        driver: { type: 'string' },
      },
    })
    const { recipe } = recipeArgs(positionals, values.pr, this.usage)
    const tiers = values.tier ?? []
    const unknown = tiers.filter((t) => !isTier(t))
    if (unknown.length > 0) {
      throw new CcciError('CCCI_USAGE', `unknown tier ${unknown.join(', ')}`, {
        hint: `tiers are ${TIERS.join(', ')}`,
      })
    }
    if (values.driver !== undefined && values.driver !== 'swarm' && values.driver !== 'abra') {
      throw new CcciError('CCCI_USAGE', `unknown driver ${values.driver}`, {
        hint: 'use --driver swarm or --driver abra',
      })
    }
    const { src, ref } = sourceFlags(values)
    const configured = discoverRecipes(settings.recipeDirs).some((r) => r.name === recipe)
    if (!configured) {
      log.info(
        `${recipe} has no folder under ${settings.recipeDirs.join(', ')}: running the generic suites only (zero config)`,
      )
    }
    await hostUp(settings, log)
    const projects = tiers.length === 0 ? [recipe] : tiers.map((t) => `${recipe} (${t})`)
    return runVitest(settings, ['run', ...projects.flatMap((p) => ['--project', p])], {
      SRC: src,
      REF: ref,
      PR: values.pr,
      QUICK: values.quick ? '1' : process.env.QUICK,
      CCCI_DRIVER: values.driver ?? process.env.CCCI_DRIVER,
      CCCI_RECIPE: configured ? process.env.CCCI_RECIPE : recipe,
    })
  },
}
