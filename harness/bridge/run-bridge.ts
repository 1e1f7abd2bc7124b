import { DroneClient } from '../drone/drone-client.ts'
import { describeError } from '../errors.ts'
import { GiteaClient, repoName } from '../forge/gitea-client.ts'
import { sleep } from '../poll.ts'
import { registerSecret } from '../redaction/redact.ts'
import { siteRefresher } from '../report/site-refresher.ts'
import type { BridgeConfig } from './bridge-config.ts'
import { startBridgeServer } from './bridge-server.ts'
import { BridgeService } from './bridge-service.ts'
import { BridgeStore } from './bridge-store.ts'
import { enrolledRecipes } from './enrolment.ts'
import type { JsonLog } from './json-log.ts'

export interface RunBridgeOptions {
  config: BridgeConfig
  recipeDirs: string[]
  log: JsonLog
  signal: AbortSignal
  /** One poll, then stop (no server). */
  once: boolean
  /** Serve the results site from `dir`, rebuilt from the history in `home` when it changed. */
  site?: { home: string; dir: string }
}

/** `ccci bridge`: the store, the service, the HTTP server and the poll loop until `signal`. */
export async function runBridge({
  config,
  recipeDirs,
  log,
  signal,
  once,
  site,
}: RunBridgeOptions): Promise<void> {
  for (const secret of [config.giteaToken, config.droneToken, config.webhookSecret]) {
    if (secret !== undefined) {
      registerSecret(secret)
    }
  }
  const { enrolled, problems } = await enrolledRecipes(recipeDirs, config.giteaUrl)
  for (const problem of problems) {
    log('warn', 'enrolment.problem', { problem })
  }
  if (enrolled.length === 0) {
    log('warn', 'enrolment.empty', {
      recipeDirs,
      forge: config.giteaUrl,
      hint: 'no recipe folder has a source on this forge: docs/operating.md, "Enrolling a repository"',
    })
  }
  const store = new BridgeStore(config.dbFile)
  const service = new BridgeService({
    gitea: new GiteaClient({ url: config.giteaUrl, token: config.giteaToken }),
    drone: new DroneClient({ url: config.droneUrl, token: config.droneToken }),
    store,
    log,
    enrolled,
    org: config.org,
    allowlist: config.allowlist,
    droneRepo: config.droneRepo,
    droneBranch: config.droneBranch,
    statusContext: config.statusContext,
  })
  let lastPoll: string | undefined
  let polls = 0
  const server = once
    ? undefined
    : await startBridgeServer({
        service,
        log,
        webhookSecret: config.webhookSecret,
        host: config.host,
        port: config.port,
        health: () => ({ repos: service.repos.map((r) => repoName(r.repo)), polls, lastPoll }),
        siteDir: site?.dir,
      })
  const refresher =
    site === undefined || once
      ? undefined
      : siteRefresher(site.home, site.dir, (message) => log('warn', 'site.history', { message }))
  log('info', 'bridge.started', {
    repos: service.repos.map((r) => ({ recipe: r.recipe, repo: repoName(r.repo) })),
    url: server?.url,
    webhook: config.webhookSecret !== undefined,
    pollSeconds: config.pollMs / 1000,
    store: config.dbFile,
  })
  try {
    while (!signal.aborted) {
      await service.pollOnce()
      polls++
      lastPoll = new Date().toISOString()
      // The site follows the history: rebuilt after a poll when a run finished since the last one.
      try {
        if (refresher?.refresh() === true) {
          log('info', 'site.rebuilt', { dir: site?.dir })
        }
      } catch (error) {
        log('error', 'site.failed', { error: describeError(error) })
      }
      if (once) {
        break
      }
      try {
        await sleep(config.pollMs, signal)
      } catch {
        break
      }
    }
  } catch (error) {
    log('error', 'bridge.failed', { error: describeError(error) })
    throw error
  } finally {
    await server?.close()
    store.close()
    log('info', 'bridge.stopped', { polls })
  }
}
