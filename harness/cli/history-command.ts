import { parseArgs } from 'node:util'
import { z } from 'zod'
import { CcciError } from '../errors.ts'
import { historyFile, historyRecipes, readHistory } from '../history/history-store.ts'
import { historyTable, newestFirst } from '../history/history-table.ts'
import { validateRecipeName } from '../recipe/recipe-name.ts'
import type { Command } from './command.ts'

const Limit = z.coerce.number().int().positive()

export const historyCommand: Command = {
  summary:
    "a recipe's finished runs, newest first: trigger, level, tiers, total time, slow phases (docs/history.md)",
  usage: 'history <recipe> [--limit N] [--json]',
  run(args, { settings, log }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        limit: { type: 'string', default: '20' },
        json: { type: 'boolean', default: false },
      },
    })
    const limit = Limit.safeParse(values.limit)
    if (!limit.success) {
      throw new CcciError('CCCI_USAGE', `--limit takes a whole number above 0, got ${values.limit}`)
    }
    const [name, ...extra] = positionals
    if (name === undefined || extra.length > 0) {
      const known = historyRecipes(settings.home)
      throw new CcciError('CCCI_USAGE', 'usage: ccci history <recipe> [--limit N] [--json]', {
        hint:
          known.length === 0
            ? 'no run is recorded yet: runs append to the history when they finish'
            : `recipes with a history: ${known.join(', ')}`,
      })
    }
    const recipe = validateRecipeName(name)
    const records = readHistory(settings.home, recipe, (m) => log.warn(m))
    if (records.length === 0) {
      const known = historyRecipes(settings.home).filter((r) => r !== recipe)
      throw new CcciError(
        'CCCI_NO_HISTORY',
        `no runs of ${recipe} recorded yet in ${historyFile(settings.home, recipe)}; runs append here when they finish`,
        {
          hint: `run it (\`./ccci run ${recipe}\`) or check the name${known.length === 0 ? '' : `; recipes with a history: ${known.join(', ')}`}; CCCI_HOME must be the one the runs used`,
        },
      )
    }
    const shown = newestFirst(records).slice(0, limit.data)
    process.stdout.write(values.json ? `${JSON.stringify(shown, null, 2)}\n` : historyTable(shown))
    return Promise.resolve(0)
  },
}
