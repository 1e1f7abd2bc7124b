import { parseArgs } from 'node:util'
import { CcciError } from '../errors.ts'
import { registerSecret } from '../redaction/redact.ts'
import { buildSite } from '../report/build-site.ts'
import { siteDir } from '../report/site-dir.ts'
import type { Command } from './command.ts'

/** Secrets this process may know of: the bridge's tokens, when set (as `ccci verdict` does). */
const SECRET_ENV = ['CCCI_GITEA_TOKEN', 'CCCI_DRONE_TOKEN', 'CCCI_WEBHOOK_SECRET'] as const

export const reportCommand: Command = {
  summary:
    'write the results site (index of recipes, a page and a badge per recipe, runs with their files and diagnostics) from the run history',
  usage: 'report [--out DIR]   (default $CCCI_HOME/site)',
  // eslint-disable-next-line @typescript-eslint/require-await -- the Command interface is async
  async run(args, { settings, log }) {
    let values: { out?: string }
    try {
      ;({ values } = parseArgs({ args, options: { out: { type: 'string' } } }))
    } catch (error) {
      throw new CcciError('CCCI_USAGE', (error as Error).message, {
        hint: 'usage: `ccci report [--out DIR]`',
      })
    }
    if (values.out === '') {
      throw new CcciError('CCCI_USAGE', '--out needs a folder', {
        hint: 'e.g. `ccci report --out /tmp/site`, or no --out for $CCCI_HOME/site',
      })
    }
    for (const name of SECRET_ENV) {
      const value = process.env[name]
      if (value !== undefined && value !== '') {
        registerSecret(value)
      }
    }
    const site = buildSite(settings.home, values.out ?? siteDir(settings.home), (message) =>
      log.warn(message),
    )
    process.stdout.write(
      `results site: ${site.dir} (${site.runs} run(s), ${site.pages} file(s)); open ${site.dir}/index.html\n`,
    )
    return 0
  },
}
