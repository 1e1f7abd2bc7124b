import { loadSettings } from '../config/settings.ts'
import { syncProxyRoutes } from '../host/proxy-service.ts'
import { tlsPaths } from '../host/tls.ts'

/** Re-reads every app's Traefik labels into the local proxy (no-op with an external proxy). */
export async function syncLocalProxy(): Promise<void> {
  const settings = loadSettings()
  if (settings.proxy === 'local') {
    await syncProxyRoutes(tlsPaths(settings.home))
  }
}
