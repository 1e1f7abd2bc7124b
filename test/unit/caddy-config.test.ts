import { describe, expect, test } from 'vitest'
import {
  CADDY_SERVER_NAME,
  NOT_ROUTED_BODY,
  caddyConfig,
  orderRoutes,
  type CaddyConfigInput,
} from '../../harness/proxy/caddy-config.ts'
import { traefikRoutes, type ProxyRoute } from '../../harness/proxy/traefik-routes.ts'

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n'

/** The parts of the Caddy JSON the tests look at (field names per caddyserver.com/docs/json/). */
interface CaddyShape {
  admin: { listen: string }
  apps: {
    http: { servers: Record<string, { routes: CaddyRoute[] } & Record<string, unknown>> }
    tls: { certificates: { load_pem: { certificate: string; key: string }[] } }
  }
}
interface CaddyRoute {
  match?: { host?: string[]; path?: string[] }[]
  handle: ({ handler: string } & Record<string, unknown>)[]
  terminal?: boolean
}

function build(routes: ProxyRoute[], listenPort = 8443): CaddyShape {
  const input: CaddyConfigInput = { routes, listenPort, certificatePem: CERT, keyPem: KEY }
  return caddyConfig(input) as unknown as CaddyShape
}

function server(config: CaddyShape): { routes: CaddyRoute[] } & Record<string, unknown> {
  const s = config.apps.http.servers[CADDY_SERVER_NAME]
  if (s === undefined) {
    throw new Error(`no server ${CADDY_SERVER_NAME}`)
  }
  return s
}

/** Each route as `host path -> upstream`, the catch-all as `* -> 404`. */
function summary(config: CaddyShape): string[] {
  return server(config).routes.map((r) => {
    const m = r.match?.[0]
    const target = r.handle.map((h) =>
      h.handler === 'reverse_proxy'
        ? (h.upstreams as { dial: string }[]).map((u) => u.dial).join(',')
        : String(h.status_code),
    )
    const where = m === undefined ? '*' : [m.host?.join(',') ?? '', ...(m.path ?? [])].join(' ')
    return `${where} -> ${target.join(';')}`
  })
}

function route(overrides: Partial<ProxyRoute> & Pick<ProxyRoute, 'router'>): ProxyRoute {
  return {
    service: 's_app',
    hosts: ['a.test'],
    pathPrefixes: [],
    upstream: 'tasks.s_app:80',
    ...overrides,
  }
}

describe('caddyConfig', () => {
  test('the whole config for one route', () => {
    const config = caddyConfig({
      routes: [route({ router: 'r' })],
      listenPort: 443,
      certificatePem: CERT,
      keyPem: KEY,
    })
    expect(config).toEqual({
      admin: { listen: 'localhost:2019' },
      apps: {
        http: {
          servers: {
            ccci: {
              listen: [':443'],
              automatic_https: { disable: true },
              tls_connection_policies: [{}],
              routes: [
                {
                  match: [{ host: ['a.test'] }],
                  handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: 'tasks.s_app:80' }] }],
                  terminal: true,
                },
                {
                  handle: [
                    {
                      handler: 'static_response',
                      status_code: 404,
                      headers: { 'Content-Type': ['text/plain; charset=utf-8'] },
                      body: NOT_ROUTED_BODY,
                    },
                  ],
                  terminal: true,
                },
              ],
            },
          },
        },
        tls: { certificates: { load_pem: [{ certificate: CERT, key: KEY }] } },
      },
    })
  })

  test('it is plain JSON: a round trip through JSON changes nothing', () => {
    const config = caddyConfig({
      routes: [route({ router: 'r', pathPrefixes: ['/x'], priority: 3 })],
      listenPort: 8443,
      certificatePem: CERT,
      keyPem: KEY,
    })
    expect(JSON.parse(JSON.stringify(config))).toEqual(config)
  })

  test('listens on the given port with the given certificate, admin on localhost only', () => {
    const config = build([], 9443)
    expect(server(config).listen).toEqual([':9443'])
    expect(config.admin.listen).toBe('localhost:2019')
    expect(config.apps.tls.certificates.load_pem).toEqual([{ certificate: CERT, key: KEY }])
  })

  test('the catch-all says which host was not routed, with a Caddy placeholder', () => {
    const routes = server(build([])).routes
    expect(routes).toHaveLength(1)
    expect(routes[0]?.match).toBeUndefined()
    expect(routes[0]?.handle[0]).toMatchObject({ handler: 'static_response', status_code: 404 })
    expect(NOT_ROUTED_BODY).toContain('{http.request.host}')
    expect(NOT_ROUTED_BODY).toContain('traefik labels')
  })

  test('path prefixes become Caddy prefix patterns; several hosts share one matcher', () => {
    const config = build([
      route({ router: 'r', hosts: ['a.test', 'www.a.test'], pathPrefixes: ['/api', '/docs'] }),
    ])
    expect(server(config).routes[0]).toEqual({
      match: [{ host: ['a.test', 'www.a.test'], path: ['/api*', '/docs*'] }],
      handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: 'tasks.s_app:80' }] }],
      terminal: true,
    })
  })

  test('a route with a path prefix comes before the host-only route of the same host', () => {
    const config = build([
      route({ router: 'front', upstream: 'tasks.s_front:80' }),
      route({ router: 'api', pathPrefixes: ['/api'], upstream: 'tasks.s_api:8000' }),
      route({ router: 'api-v2', pathPrefixes: ['/api/v2'], upstream: 'tasks.s_api2:8000' }),
    ])
    expect(summary(config)).toEqual([
      'a.test /api/v2* -> tasks.s_api2:8000',
      'a.test /api* -> tasks.s_api:8000',
      'a.test -> tasks.s_front:80',
      '* -> 404',
    ])
  })

  test('a higher priority comes first, even before path routes', () => {
    const config = build([
      route({ router: 'path', pathPrefixes: ['/x'], upstream: 'tasks.s_path:80' }),
      route({ router: 'low', priority: 1, upstream: 'tasks.s_low:80' }),
      route({ router: 'high', priority: 100, upstream: 'tasks.s_high:80' }),
    ])
    expect(summary(config)).toEqual([
      'a.test -> tasks.s_high:80',
      'a.test -> tasks.s_low:80',
      'a.test /x* -> tasks.s_path:80',
      '* -> 404',
    ])
  })

  test('orderRoutes is stable and does not touch its input', () => {
    const input = [
      route({ router: 'b', service: 's2' }),
      route({ router: 'a', service: 's2' }),
      route({ router: 'z', service: 's1' }),
    ]
    const before = structuredClone(input)
    expect(orderRoutes(input).map((r) => `${r.service}/${r.router}`)).toEqual([
      's1/z',
      's2/a',
      's2/b',
    ])
    expect(input).toEqual(before)
    expect(orderRoutes([...input].reverse())).toEqual(orderRoutes(input))
  })

  test.each([[0], [-1], [65536], [443.5], [Number.NaN]])('listenPort %s is refused', (p) => {
    expect(() => build([], p)).toThrow(RangeError)
  })

  test('end to end from labels: the API paths are tried before the frontend', () => {
    // Source: tiangolo/full-stack-fastapi-template docker-compose.yml (backend and frontend
    // HTTPS routers), rendered with STACK_NAME=fapi and DOMAIN=fapi.ci.localhost.
    const { routes, problems } = traefikRoutes([
      {
        service: 'fapi_frontend',
        labels: {
          'traefik.enable': 'true',
          'traefik.http.services.fapi-frontend.loadbalancer.server.port': '80',
          'traefik.http.routers.fapi-frontend-https.rule':
            'Host(`fapi.ci.localhost`) || Host(`www.fapi.ci.localhost`)',
          'traefik.http.routers.fapi-frontend-https.entrypoints': 'https',
        },
      },
      {
        service: 'fapi_backend',
        labels: {
          'traefik.enable': 'true',
          'traefik.http.services.fapi-backend.loadbalancer.server.port': '80',
          'traefik.http.routers.fapi-backend-https.rule':
            '(Host(`fapi.ci.localhost`) || Host(`www.fapi.ci.localhost`)) && (PathPrefix(`/api`) || PathPrefix(`/docs`) || PathPrefix(`/redoc`))',
          'traefik.http.routers.fapi-backend-https.entrypoints': 'https',
        },
      },
    ])
    expect(problems).toEqual([])
    expect(summary(build(routes))).toEqual([
      'fapi.ci.localhost,www.fapi.ci.localhost /api* /docs* /redoc* -> tasks.fapi_backend:80',
      'fapi.ci.localhost,www.fapi.ci.localhost -> tasks.fapi_frontend:80',
      '* -> 404',
    ])
  })
})
