import { loadSettings } from '../config/settings.ts'
import { syncProxyRoutes } from '../host/proxy-service.ts'
import { tlsPaths } from '../host/tls.ts'
import type { Logger } from '../log.ts'

/**
 * Re-reads every app's Traefik labels into the local proxy (no-op with an external proxy) and
 * logs the labels it could not turn into routes.
 */
export async function syncLocalProxy(log?: Logger): Promise<void> {
  const settings = loadSettings()
  if (settings.proxy === 'local') {
    const { problems } = await syncProxyRoutes(tlsPaths(settings.home))
    for (const problem of problems) {
      log?.warn(
        `proxy: ${problem.service}${problem.router === undefined ? '' : ` router ${problem.router}`}: ${problem.message}`,
      )
    }
  }
}
