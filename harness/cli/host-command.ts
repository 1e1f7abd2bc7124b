import { parseArgs } from 'node:util'
import { hostDown, hostStatus, hostUp } from '../host/local-host.ts'
import type { Command } from './command.ts'

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`)
}

export const hostCommand: Command = {
  summary: 'set up, inspect or remove the local swarm host',
  usage: 'host up | host status | host down [--all] [--leave-swarm]',
  async run(args, { settings, log }) {
    const [action, ...rest] = args
    if (action === 'up') {
      const report = await hostUp(settings, log)
      out(
        `engine     Docker ${report.engine.version ?? '?'} (CLI ${report.dockerCli}), swarm ${report.swarm}`,
      )
      out(`network    ${'proxy'} ${report.network}`)
      out(
        `images     ${Object.entries(report.images)
          .map(([image, state]) => `${image} ${state}`)
          .join(', ')}`,
      )
      out(
        `proxy      ${settings.proxy === 'local' ? `ccci-proxy ${report.proxy}, ${report.routes} route(s), https://<app>.${settings.domainSuffix}:${settings.proxyPort}/` : 'external (Traefik)'}`,
      )
      if (report.sso !== 'none') {
        out(
          `sso        ccci-sso ${report.sso}, https://sso.${settings.domainSuffix}:${settings.proxyPort}/realms/<realm>`,
        )
      }
      out(`tls        CA ${report.tls.caFile}`)
      out(
        `try        curl --cacert ${report.tls.caFile} --resolve x.${settings.domainSuffix}:${settings.proxyPort}:127.0.0.1 https://x.${settings.domainSuffix}:${settings.proxyPort}/`,
      )
      out('host is up')
      return 0
    }
    if (action === 'status') {
      const status = await hostStatus(settings)
      out(
        `engine     ${status.engine.reachable ? `Docker ${status.engine.version ?? '?'}, swarm ${status.engine.swarm ?? '?'}` : `unreachable (${status.engine.error ?? ''})`}`,
      )
      out(`network    proxy ${status.network ? 'present' : 'missing'}`)
      out(
        `tls        ${status.tls === undefined ? 'missing' : `*.${status.tls.suffix} (CA ${status.tls.caFile})`}`,
      )
      out(
        `images     ${
          Object.entries(status.images)
            .map(([image, ok]) => `${image} ${ok ? 'present' : 'missing'}`)
            .join(', ') || 'unknown'
        }`,
      )
      out(
        `proxy      ${status.proxy.present ? `ccci-proxy on port ${status.proxy.port ?? '?'}, ${status.routedServices} routed service(s)` : 'missing'}`,
      )
      out(status.ready ? 'host is ready' : 'host is not ready: run `./ccci host up`')
      return status.ready ? 0 : 1
    }
    if (action === 'down') {
      const { values } = parseArgs({
        args: rest,
        options: {
          all: { type: 'boolean', default: false },
          'leave-swarm': { type: 'boolean', default: false },
        },
      })
      const removed = await hostDown(
        settings,
        { all: values.all, leaveSwarm: values['leave-swarm'] },
        log,
      )
      out(removed.length === 0 ? 'nothing to remove' : `removed: ${removed.join(', ')}`)
      return 0
    }
    process.stderr.write(`usage: ccci ${this.usage}\n`)
    return 2
  },
}
