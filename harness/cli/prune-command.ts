import { parseArgs } from 'node:util'
import { CcciError } from '../errors.ts'
import { pruneImages } from '../janitor/prune-images.ts'
import type { Command } from './command.ts'

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`

export const pruneCommand: Command = {
  summary:
    'reclaim disk under pressure only: dangling images no container uses and build cache, older than a day; never volumes, never while a run is live',
  usage: 'prune [--threshold PERCENT] [--dry-run] [--json]',
  async run(args, { settings }) {
    const { values } = parseArgs({
      args,
      options: {
        threshold: { type: 'string', default: '85' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    })
    const threshold = Number(values.threshold)
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100) {
      throw new CcciError(
        'CCCI_USAGE',
        `--threshold takes a percentage 0-100, got ${values.threshold}`,
        {
          hint: 'e.g. `ccci prune --threshold 85`: prune only when the disk holding Docker is 85% full or more',
        },
      )
    }
    const report = await pruneImages(settings, {
      thresholdPercent: threshold,
      dryRun: values['dry-run'],
    })
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
      return 0
    }
    const out = (line: string) => process.stdout.write(`${line}\n`)
    if (!report.plan.prune) {
      out(`nothing pruned: ${report.plan.reason}`)
      return 0
    }
    out(`pruning: ${report.plan.reason}`)
    if (report.dryRun) {
      report.plan.images.forEach((i) => out(`  would remove image ${i.id} (${mb(i.sizeBytes)})`))
      out(
        `dry run: ${report.plan.images.length} dangling image(s) and build cache older than a day would go`,
      )
      return 0
    }
    report.removed.forEach((i) => out(`  removed image ${i.id} (${mb(i.sizeBytes)})`))
    report.kept.forEach((k) => out(`  kept ${k}`))
    out(
      `removed ${report.removed.length} dangling image(s) (${mb(report.removed.reduce((n, i) => n + i.sizeBytes, 0))}) and ${mb(report.cacheBytes)} of build cache`,
    )
    return 0
  },
}
