import { parseArgs } from 'node:util'
import { hostUp } from '../host/local-host.ts'
import { sweep, type SweepRow } from '../warm/sweep.ts'
import type { Command } from './command.ts'
import { runVitest } from './vitest-cli.ts'

function table(rows: readonly SweepRow[]): string {
  if (rows.length === 0) {
    return 'no recipe is enrolled (recipe.ts warmCanonical: true) and no canonical is left\n'
  }
  const cells = rows.map((r) => [
    r.recipe,
    r.action === 'run' ? `run ${r.tag ?? ''}` : r.action,
    r.outcome,
    r.detail === undefined ? r.reason : `${r.reason}: ${r.detail}`,
  ])
  const head = ['recipe', 'action', 'outcome', 'why']
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)))
  const line = (c: string[]) =>
    c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join('  ')
  return `${[line(head), ...cells.map(line)].join('\n')}\n`
}

export const sweepCommand: Command = {
  summary:
    'the nightly sweep: a cold run (which promotes when green) for every enrolled recipe with a newer release; removes canonicals no longer enrolled',
  usage: 'sweep [--recipe R]... [--json]',
  async run(args, { settings, log }) {
    const { values } = parseArgs({
      args,
      options: {
        recipe: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
      },
    })
    await hostUp(settings, log)
    const rows = await sweep({
      settings,
      log,
      only: values.recipe,
      runCold: (recipe, tag) =>
        runVitest(settings, ['run', '--project', recipe], {
          SRC: undefined,
          REF: tag,
          PR: undefined,
          QUICK: undefined,
          CCCI_RUN_TRIGGER: 'sweep',
        }),
    })
    process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : `\n${table(rows)}`)
    return rows.some((r) => r.outcome === 'failed' || r.outcome === 'not promoted') ? 1 : 0
  },
}
