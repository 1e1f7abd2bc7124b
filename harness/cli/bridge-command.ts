import { parseArgs } from 'node:util'
import { loadBridgeConfig } from '../bridge/bridge-config.ts'
import { jsonLogger } from '../bridge/json-log.ts'
import { runBridge } from '../bridge/run-bridge.ts'
import { siteDir } from '../report/site-dir.ts'
import type { Command } from './command.ts'

export const bridgeCommand: Command = {
  summary:
    'the !testme bridge: poll enrolled repos (and take Gitea webhooks), start Drone builds (docs/operating.md)',
  usage: 'bridge [--once]',
  async run(args, { settings }) {
    const { values } = parseArgs({ args, options: { once: { type: 'boolean', default: false } } })
    const config = loadBridgeConfig(settings.home)
    const controller = new AbortController()
    const stop = () => controller.abort(new Error('stopped'))
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    try {
      await runBridge({
        config,
        recipeDirs: settings.recipeDirs,
        log: jsonLogger(),
        signal: controller.signal,
        once: values.once,
        site: { home: settings.home, dir: siteDir(settings.home) },
      })
    } finally {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
    }
    return 0
  },
}
