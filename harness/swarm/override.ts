import { stringify } from 'yaml'
import type { AppRef } from '../driver/app-driver.ts'
import { isExternal, type RenderedStack } from '../docker/index.ts'

/** abra's labels on the `app` service: `coop-cloud.<stack>.version`, `.chaos`, `.chaos-version`. */
export interface AbraLabels {
  version: string
  chaos: boolean
  chaosVersion: string | undefined
}

const escape = (value: string): string => value.replaceAll('$', '$$$$')

function escapeDeep(value: unknown): unknown {
  if (typeof value === 'string') {
    return escape(value)
  }
  if (Array.isArray(value)) {
    return value.map(escapeDeep)
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDeep(v)]))
  }
  return value
}

/**
 * The compose file cc-ci adds last to `docker stack deploy`: owner labels on every service,
 * volume, network, config and (file) secret the stack creates (so the janitor can find them), abra's
 * version/chaos/recipe labels on `app`, and abra's ExposeAllEnv (app env vars the `app` service
 * does not set itself). Top-level entries are repeated whole, because Docker's loader replaces
 * (not merges) them across files.
 */
export function buildOverride(input: {
  app: AppRef
  rendered: RenderedStack
  ownerLabels: Record<string, string>
  abra: AbraLabels
  appEnv: Record<string, string>
}): string {
  const { app, rendered, ownerLabels, abra, appEnv } = input
  const ns = `coop-cloud.${app.stack}`
  const services: Record<string, unknown> = {}
  for (const [name, service] of Object.entries(rendered.services)) {
    const labels: Record<string, string> = { ...ownerLabels }
    const extra: Record<string, unknown> = {}
    if (name === 'app') {
      labels[`${ns}.recipe`] = app.recipe
      labels[`${ns}.chaos`] = String(abra.chaos)
      if (abra.chaosVersion !== undefined) {
        labels[`${ns}.chaos-version`] = abra.chaosVersion
      }
      labels[`${ns}.version`] = abra.version
      const own = service.environment ?? {}
      const exposed = Object.fromEntries(Object.entries(appEnv).filter(([key]) => !(key in own)))
      if (Object.keys(exposed).length > 0) {
        extra.environment = exposed
      }
    }
    services[name] = { ...extra, deploy: { labels } }
  }
  const topLevel = (entries: RenderedStack['volumes']) =>
    Object.fromEntries(
      Object.entries(entries)
        .filter(([, entry]) => !isExternal(entry))
        .map(([name, entry]) => [name, { ...entry, labels: { ...entry?.labels, ...ownerLabels } }]),
    )
  const document = {
    version: '3.8',
    services,
    volumes: topLevel(rendered.volumes),
    // `default` is implicit (not in the rendered config) for services that name no network;
    // declaring it labels it, and Docker creates it only if a service uses it.
    networks: topLevel({ default: null, ...rendered.networks }),
    configs: topLevel(rendered.configs),
    secrets: topLevel(rendered.secrets),
  }
  return stringify(escapeDeep(document))
}
