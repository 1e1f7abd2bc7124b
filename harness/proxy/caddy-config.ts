/**
 * The Caddy v2 JSON config (the body of `POST /load`) for cc-ci's local HTTPS proxy: one TLS
 * listener with a fixed certificate, one reverse-proxy route per recipe route, and a 404 that
 * says why when nothing matches. Pure: routes in, plain object out.
 */
import type { ProxyRoute } from './traefik-routes.ts'

/** A Caddy JSON config, ready for `JSON.stringify`. */
export type CaddyConfig = Record<string, unknown>

/** What `caddyConfig` needs. */
export interface CaddyConfigInput {
  routes: readonly ProxyRoute[]
  /** The port Caddy serves HTTPS on, inside its container. */
  listenPort: number
  /** PEM certificate chain (leaf first) served for every host. */
  certificatePem: string
  /** PEM private key of that certificate. */
  keyPem: string
}

/** Name of the single HTTP server in the config (`apps.http.servers.<name>`). */
export const CADDY_SERVER_NAME = 'ccci'

/** Where Caddy's admin API listens: inside its own container only. */
const CADDY_ADMIN_LISTEN = 'localhost:2019'

/** Body of the catch-all 404; `{http.request.host}` is a Caddy placeholder. */
export const NOT_ROUTED_BODY =
  'cc-ci proxy: no app is routed for host {http.request.host}; is it deployed and does it carry traefik labels?\n'

/**
 * The Caddy config serving `routes` over HTTPS on `:<listenPort>` with the given certificate:
 * automatic HTTPS off (no ACME, no port 80), admin API on localhost only, more specific routes
 * first (see `orderRoutes`), and a terminal catch-all 404.
 */
export function caddyConfig(input: CaddyConfigInput): CaddyConfig {
  if (!Number.isInteger(input.listenPort) || input.listenPort < 1 || input.listenPort > 65535) {
    throw new RangeError(`listenPort must be an integer in 1..65535, got ${input.listenPort}`)
  }
  return {
    admin: { listen: CADDY_ADMIN_LISTEN },
    apps: {
      http: {
        servers: {
          [CADDY_SERVER_NAME]: {
            listen: [`:${input.listenPort}`],
            automatic_https: { disable: true },
            tls_connection_policies: [{}],
            routes: [...orderRoutes(input.routes).map(proxyRoute), notRoutedRoute()],
          },
        },
      },
      tls: {
        certificates: { load_pem: [{ certificate: input.certificatePem, key: input.keyPem }] },
      },
    },
  }
}

/**
 * Caddy tries routes in order, so the more specific go first: higher `priority` first (no
 * priority counts as 0), then routes with longer path prefixes before shorter ones and before
 * host-only routes; ties keep a stable order by service, router and hosts.
 */
export function orderRoutes(routes: readonly ProxyRoute[]): ProxyRoute[] {
  return [...routes].sort(
    (a, b) =>
      (b.priority ?? 0) - (a.priority ?? 0) ||
      longestPrefix(b) - longestPrefix(a) ||
      compareText(a.service, b.service) ||
      compareText(a.router, b.router) ||
      compareText(a.hosts.join(' '), b.hosts.join(' ')) ||
      compareText(a.pathPrefixes.join(' '), b.pathPrefixes.join(' ')),
  )
}

function proxyRoute(route: ProxyRoute): Record<string, unknown> {
  const match: Record<string, string[]> = { host: [...route.hosts] }
  if (route.pathPrefixes.length > 0) {
    match.path = route.pathPrefixes.map((p) => `${p}*`)
  }
  return {
    match: [match],
    handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: route.upstream }] }],
    terminal: true,
  }
}

function notRoutedRoute(): Record<string, unknown> {
  return {
    handle: [
      {
        handler: 'static_response',
        status_code: 404,
        headers: { 'Content-Type': ['text/plain; charset=utf-8'] },
        body: NOT_ROUTED_BODY,
      },
    ],
    terminal: true,
  }
}

function longestPrefix(route: ProxyRoute): number {
  return Math.max(0, ...route.pathPrefixes.map((p) => p.length))
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
