import { loadSettings } from '../config/settings.ts'
import { syncProxyRoutes } from '../host/proxy-service.ts'
import { tlsPaths } from '../host/tls.ts'
import type { Logger } from '../log.ts'

/**
 * Re-reads every app's Traefik labels into the local proxy (no-op with an external proxy) and
 * logs the labels it could not turn into routes. Returns the warnings about `stack`'s own
 * services (for the run's result).
 */
export async function syncLocalProxy(log?: Logger, stack?: string): Promise<string[]> {
  const settings = loadSettings()
  if (settings.proxy !== 'local') {
    return []
  }
  const { problems } = await syncProxyRoutes(tlsPaths(settings.home))
  const warnings: string[] = []
  for (const problem of problems) {
    const warning = `proxy: ${problem.service}${problem.router === undefined ? '' : ` router ${problem.router}`}: ${problem.message}`
    log?.warn(warning)
    if (stack !== undefined && problem.service.startsWith(`${stack}_`)) {
      warnings.push(warning)
    }
  }
  return warnings
}
