import { parseArgs } from 'node:util'
import { CcciError } from '../errors.ts'
import { findOrphans, reapOrphans } from '../janitor/janitor.ts'
import { reapDeadDependencies } from '../deps/reap-dead-deps.ts'
import { pruneResults, pruneSourceCaches } from '../janitor/prune-files.ts'
import type { Command } from './command.ts'

export const janitorCommand: Command = {
  summary:
    'remove what dead runs left behind (stacks, volumes, secrets, configs, networks, env files)',
  usage: 'janitor [--dry-run] [--keep-results-days N]',
  async run(args, { settings, log }) {
    const { values } = parseArgs({
      args,
      options: {
        'dry-run': { type: 'boolean', default: false },
        'keep-results-days': { type: 'string', default: '30' },
      },
    })
    const days = Number(values['keep-results-days'])
    if (!Number.isInteger(days) || days < 1) {
      throw new CcciError(
        'CCCI_USAGE',
        `--keep-results-days takes a whole number of days, got ${values['keep-results-days']}`,
      )
    }
    if (!values['dry-run']) {
      const files = [...pruneSourceCaches(settings.home), ...pruneResults(settings.home, days)]
      process.stdout.write(`pruned ${files.length} stale source cache(s) and result folder(s)\n`)
    }
    // Realms (and other dependency resources) of dead runs, marked with their owner attributes.
    const deps = await reapDeadDependencies(settings, { dryRun: values['dry-run'] })
    for (const realm of deps.removed) {
      process.stdout.write(`${values['dry-run'] ? 'would remove' : 'removed'} ${realm}\n`)
    }
    for (const skipped of deps.skipped) {
      process.stdout.write(`dependencies not swept: ${skipped}\n`)
    }
    const orphans = await findOrphans(settings)
    if (orphans.length === 0) {
      process.stdout.write('nothing to reap: no leftovers of dead runs\n')
      return 0
    }
    for (const orphan of orphans) {
      process.stdout.write(`run ${orphan.runId} (${orphan.recipe ?? 'unknown recipe'}):\n`)
      for (const object of orphan.objects) {
        process.stdout.write(`  ${object.kind} ${object.name}\n`)
      }
      for (const file of orphan.files) {
        process.stdout.write(`  file ${file}\n`)
      }
    }
    if (values['dry-run']) {
      process.stdout.write('dry run: nothing removed\n')
      return 0
    }
    const report = await reapOrphans(settings, orphans, log)
    for (const removed of report.removed) {
      process.stdout.write(`  removed ${removed}\n`)
    }
    process.stdout.write(`removed ${report.removed.length}, failed ${report.failed.length}\n`)
    for (const failure of report.failed) {
      process.stdout.write(`  could not remove ${failure}\n`)
    }
    return report.failed.length === 0 ? 0 : 1
  },
}
