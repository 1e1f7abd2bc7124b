import { describe, expect, test } from 'vitest'
import {
  parseRule,
  traefikRoutes,
  type SwarmServiceLabels,
} from '../../harness/proxy/traefik-routes.ts'

/** Labels as `docker service inspect` shows them: compose interpolation already done. */
function svc(service: string, labels: Record<string, string>): SwarmServiceLabels {
  return { service, labels }
}

/** Turns compose `- "key=value"` label lines into a label map. */
function labels(...lines: string[]): Record<string, string> {
  return Object.fromEntries(
    lines.map((line) => {
      const eq = line.indexOf('=')
      return [line.slice(0, eq), line.slice(eq + 1)]
    }),
  )
}

// Source: bonfire-networks/bonfire-coop-cloud compose.yml (Co-op Cloud recipe), service `app`,
// rendered with STACK_NAME=bonf-1a2b3c_ci_localhost, DOMAIN=bonf-1a2b3c.ci.localhost and
// LETS_ENCRYPT_ENV= (empty, as cc-ci sets it). Trimmed to its deploy labels.
function bonfire(extraDomains: string): SwarmServiceLabels {
  return svc(
    'bonf-1a2b3c_ci_localhost_app',
    labels(
      'backupbot.backup=true',
      'traefik.enable=true',
      'traefik.http.services.bonf-1a2b3c_ci_localhost.loadbalancer.server.port=4000',
      `traefik.http.routers.bonf-1a2b3c_ci_localhost.rule=Host(\`bonf-1a2b3c.ci.localhost\`${extraDomains})`,
      'traefik.http.routers.bonf-1a2b3c_ci_localhost.entrypoints=web-secure',
      'traefik.http.routers.bonf-1a2b3c_ci_localhost.tls.certresolver=',
      'coop-cloud.bonf-1a2b3c_ci_localhost.version=1.0.4+social',
    ),
  )
}

// Source: bonfire-networks/bonfire-coop-cloud compose.yml, service `db` (no traefik labels).
const bonfireDb = svc('bonf-1a2b3c_ci_localhost_db', labels('backupbot.backup=true'))

// Source: ahdinosaur/coop-cloud-traefik compose.yml (2021 fork of coop-cloud/traefik), service
// `app`, rendered with DOMAIN=traefik.ci.localhost.
const traefikRecipe = svc(
  'traefik_ci_localhost_app',
  labels(
    'traefik.enable=true',
    'traefik.http.services.traefik.loadbalancer.server.port=web',
    'traefik.http.routers.traefik.rule=Host(`traefik.ci.localhost`)',
    'traefik.http.routers.traefik.entrypoints=web-secure',
    'traefik.http.routers.traefik.tls.certresolver=',
    'traefik.http.routers.traefik.tls.options=default@file',
    'traefik.http.routers.traefik.service=api@internal',
    'traefik.http.routers.traefik.middlewares=security@file',
  ),
)

// Source: mayel/docs.coopcloud.tech compose.yml (the Co-op Cloud docs site, deployed the Co-op
// Cloud way), service `app`; fixed router/service names, host changed to a local one.
const coopCloudDocs = svc(
  'docs_ci_localhost_app',
  labels(
    'traefik.enable=true',
    'traefik.http.services.coop-cloud-mkdocs.loadbalancer.server.port=8000',
    'traefik.http.routers.coop-cloud-mkdocs.rule=Host(`docs.ci.localhost`)',
    'traefik.http.routers.coop-cloud-mkdocs.entrypoints=web-secure',
    'traefik.http.routers.coop-cloud-mkdocs.tls.certresolver=production',
  ),
)

// Source: tiangolo/full-stack-fastapi-template docker-compose.yml, services adminer, backend and
// frontend, rendered with STACK_NAME=fapi and DOMAIN=fapi.ci.localhost. Several swarm services,
// plain-HTTP redirect routers next to the HTTPS ones, parentheses, || and PathPrefix.
const fastapi = [
  svc(
    'fapi_adminer',
    labels(
      'traefik.enable=true',
      'traefik.docker.network=traefik-public',
      'traefik.constraint-label=traefik-public',
      'traefik.http.routers.fapi-adminer-http.rule=Host(`adminer.fapi.ci.localhost`)',
      'traefik.http.routers.fapi-adminer-http.entrypoints=http',
      'traefik.http.routers.fapi-adminer-http.middlewares=https-redirect',
      'traefik.http.routers.fapi-adminer-https.rule=Host(`adminer.fapi.ci.localhost`)',
      'traefik.http.routers.fapi-adminer-https.entrypoints=https',
      'traefik.http.routers.fapi-adminer-https.tls=true',
      'traefik.http.routers.fapi-adminer-https.tls.certresolver=le',
      'traefik.http.services.fapi-adminer.loadbalancer.server.port=8080',
    ),
  ),
  svc(
    'fapi_backend',
    labels(
      'traefik.enable=true',
      'traefik.http.services.fapi-backend.loadbalancer.server.port=80',
      'traefik.http.routers.fapi-backend-http.rule=(Host(`fapi.ci.localhost`) || Host(`www.fapi.ci.localhost`)) && (PathPrefix(`/api`) || PathPrefix(`/docs`) || PathPrefix(`/redoc`))',
      'traefik.http.routers.fapi-backend-http.entrypoints=http',
      'traefik.http.routers.fapi-backend-https.rule=(Host(`fapi.ci.localhost`) || Host(`www.fapi.ci.localhost`)) && (PathPrefix(`/api`) || PathPrefix(`/docs`) || PathPrefix(`/redoc`))',
      'traefik.http.routers.fapi-backend-https.entrypoints=https',
      'traefik.http.routers.fapi-backend-https.tls=true',
      'traefik.http.routers.fapi-backend-https.tls.certresolver=le',
      'traefik.http.routers.fapi-backend-http.middlewares=https-redirect,fapi-www-redirect',
      'traefik.http.routers.fapi-backend-https.middlewares=fapi-www-redirect',
    ),
  ),
  svc(
    'fapi_frontend',
    labels(
      'traefik.enable=true',
      'traefik.http.services.fapi-frontend.loadbalancer.server.port=80',
      'traefik.http.routers.fapi-frontend-http.rule=Host(`fapi.ci.localhost`) || Host(`www.fapi.ci.localhost`)',
      'traefik.http.routers.fapi-frontend-http.entrypoints=http',
      'traefik.http.routers.fapi-frontend-https.rule=Host(`fapi.ci.localhost`) || Host(`www.fapi.ci.localhost`)',
      'traefik.http.routers.fapi-frontend-https.entrypoints=https',
      'traefik.http.routers.fapi-frontend-https.tls=true',
      'traefik.http.routers.fapi-frontend-https.tls.certresolver=le',
    ),
  ),
  svc('fapi_db', {}),
]

// Source: felbinger/AdminGuide docs/services/keycloak.md, two routers sharing one service and no
// `.service` label; <domain> filled in, middleware labels trimmed.
const keycloak = svc(
  'kc_ci_localhost_app',
  labels(
    'traefik.enable=true',
    'traefik.http.services.srv_keycloak.loadbalancer.server.port=8080',
    'traefik.http.routers.r_keycloak.rule=Host(`id.ci.localhost`)',
    'traefik.http.routers.r_keycloak.entrypoints=websecure',
    'traefik.http.routers.r_keycloak.middlewares=mw_keycloak-redirect@docker',
    'traefik.http.routers.r_keycloak-admin.rule=Host(`keycloak.ci.localhost`)',
    'traefik.http.routers.r_keycloak-admin.entrypoints=websecure',
  ),
)

describe('traefikRoutes on real label sets', () => {
  test('a Co-op Cloud recipe: one router, its single service, the tasks DNS name', () => {
    expect(traefikRoutes([bonfire(''), bonfireDb])).toEqual({
      routes: [
        {
          router: 'bonf-1a2b3c_ci_localhost',
          service: 'bonf-1a2b3c_ci_localhost_app',
          hosts: ['bonf-1a2b3c.ci.localhost'],
          pathPrefixes: [],
          upstream: 'tasks.bonf-1a2b3c_ci_localhost_app:4000',
        },
      ],
      problems: [],
    })
  })

  test('EXTRA_DOMAINS spliced into Host() adds hosts, lower-cased and deduplicated', () => {
    const extra = ', `WWW.bonf-1a2b3c.ci.localhost`, `bonf-1a2b3c.ci.localhost`'
    const { routes } = traefikRoutes([bonfire(extra)])
    expect(routes.map((r) => r.hosts)).toEqual([
      ['bonf-1a2b3c.ci.localhost', 'www.bonf-1a2b3c.ci.localhost'],
    ])
  })

  test('the Traefik recipe routes to api@internal, which is reported, not routed', () => {
    const { routes, problems } = traefikRoutes([traefikRecipe])
    expect(routes).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ service: 'traefik_ci_localhost_app', router: 'traefik' })
    expect(problems[0]?.message).toContain('api@internal')
  })

  test('fixed router names work like ${STACK_NAME} ones', () => {
    expect(traefikRoutes([coopCloudDocs]).routes).toEqual([
      {
        router: 'coop-cloud-mkdocs',
        service: 'docs_ci_localhost_app',
        hosts: ['docs.ci.localhost'],
        pathPrefixes: [],
        upstream: 'tasks.docs_ci_localhost_app:8000',
      },
    ])
  })

  test('several services: HTTPS routers only, redirect routers skipped silently', () => {
    expect(traefikRoutes(fastapi)).toEqual({
      routes: [
        {
          router: 'fapi-adminer-https',
          service: 'fapi_adminer',
          hosts: ['adminer.fapi.ci.localhost'],
          pathPrefixes: [],
          upstream: 'tasks.fapi_adminer:8080',
        },
        {
          router: 'fapi-backend-https',
          service: 'fapi_backend',
          hosts: ['fapi.ci.localhost', 'www.fapi.ci.localhost'],
          pathPrefixes: ['/api', '/docs', '/redoc'],
          upstream: 'tasks.fapi_backend:80',
        },
        {
          router: 'fapi-frontend-https',
          service: 'fapi_frontend',
          hosts: ['fapi.ci.localhost', 'www.fapi.ci.localhost'],
          pathPrefixes: [],
          upstream: 'tasks.fapi_frontend:80',
        },
      ],
      problems: [],
    })
  })

  test('two routers without .service share the one service the labels declare', () => {
    const { routes, problems } = traefikRoutes([keycloak])
    expect(problems).toEqual([])
    expect(routes.map((r) => [r.router, r.hosts, r.upstream])).toEqual([
      ['r_keycloak', ['id.ci.localhost'], 'tasks.kc_ci_localhost_app:8080'],
      ['r_keycloak-admin', ['keycloak.ci.localhost'], 'tasks.kc_ci_localhost_app:8080'],
    ])
  })

  test('output does not depend on the order of services or labels', () => {
    const reversed = [...fastapi, keycloak, bonfire('')]
      .reverse()
      .map((s) => svc(s.service, Object.fromEntries(Object.entries(s.labels).reverse())))
    expect(traefikRoutes(reversed)).toEqual(traefikRoutes([bonfire(''), keycloak, ...fastapi]))
  })
})

/** One enabled service with an HTTPS router `r` on `rule` and the given extra labels. */
function oneRouter(extra: Record<string, string>, rule = 'Host(`a.test`)'): SwarmServiceLabels {
  return svc('s_app', {
    'traefik.enable': 'true',
    'traefik.http.routers.r.rule': rule,
    'traefik.http.routers.r.entrypoints': 'web-secure',
    ...extra,
  })
}

const port = (name: string, value = '80'): Record<string, string> => ({
  [`traefik.http.services.${name}.loadbalancer.server.port`]: value,
})

describe('traefikRoutes: which services and routers count', () => {
  test.each([['true'], ['TRUE'], ['True']])('traefik.enable=%s is enabled', (value) => {
    const service = oneRouter({ ...port('x'), 'traefik.enable': value })
    expect(traefikRoutes([service]).routes).toHaveLength(1)
  })

  test.each([['false'], ['yes'], [' true'], [undefined]])(
    'traefik.enable=%s is ignored, problems included',
    (value) => {
      const service = oneRouter({ 'traefik.enable': value ?? '' })
      if (value === undefined) {
        delete service.labels['traefik.enable']
      }
      expect(traefikRoutes([service])).toEqual({ routes: [], problems: [] })
    },
  )

  test('an enabled service without routers or services is a problem', () => {
    const { problems } = traefikRoutes([svc('s_app', { 'traefik.enable': 'true' })])
    expect(problems).toEqual([
      { service: 's_app', message: expect.stringContaining('no traefik.http.routers') as string },
    ])
  })

  test('an enabled service with only a TCP router says HTTP only', () => {
    const service = svc('s_app', {
      'traefik.enable': 'true',
      'traefik.tcp.routers.ssh.rule': 'HostSNI(`*`)',
      'traefik.tcp.services.ssh.loadbalancer.server.port': '22',
    })
    const { problems } = traefikRoutes([service])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.message).toContain('tcp:ssh')
    expect(problems[0]?.router).toBeUndefined()
  })

  test('TCP routers next to HTTP ones are ignored', () => {
    const service = oneRouter({ ...port('x'), 'traefik.tcp.routers.ssh.rule': 'HostSNI(`*`)' })
    expect(traefikRoutes([service])).toMatchObject({ problems: [], routes: [{ router: 'r' }] })
  })

  test.each([
    ['web', false],
    ['http', false],
    ['web,metrics', false],
    ['web-secure', true],
    ['websecure', true],
    ['https', true],
    ['web, web-secure', true],
    ['', true],
  ])('entrypoints=%j routed: %s', (entrypoints, routed) => {
    const service = oneRouter({ ...port('x'), 'traefik.http.routers.r.entrypoints': entrypoints })
    const { routes, problems } = traefikRoutes([service])
    expect(routes.map((r) => r.router)).toEqual(routed ? ['r'] : [])
    expect(problems).toEqual([])
  })

  test('a router without entrypoints label listens everywhere, so it is routed', () => {
    const service = oneRouter(port('x'))
    delete service.labels['traefik.http.routers.r.entrypoints']
    expect(traefikRoutes([service]).routes).toHaveLength(1)
  })

  test('an HTTPS router without a rule is a problem', () => {
    const service = oneRouter(port('x'))
    delete service.labels['traefik.http.routers.r.rule']
    expect(traefikRoutes([service]).problems).toEqual([
      { service: 's_app', router: 'r', message: expect.stringContaining('rule') as string },
    ])
  })

  test('priority is kept; a non-integer priority is a problem', () => {
    const kept = traefikRoutes([
      oneRouter({ ...port('x'), 'traefik.http.routers.r.priority': '42' }),
    ])
    expect(kept.routes[0]?.priority).toBe(42)
    expect(traefikRoutes([oneRouter(port('x'))]).routes[0]).not.toHaveProperty('priority')
    const bad = traefikRoutes([
      oneRouter({ ...port('x'), 'traefik.http.routers.r.priority': 'hi' }),
    ])
    expect(bad.routes).toEqual([])
    expect(bad.problems[0]?.message).toContain('priority')
  })

  test('option names are case-insensitive, router names are kept as written', () => {
    const service = svc('s_app', {
      'traefik.enable': 'true',
      'traefik.http.routers.MyRouter.Rule': 'Host(`a.test`)',
      'traefik.http.routers.MyRouter.EntryPoints': 'web-secure',
      'traefik.http.services.MySvc.loadBalancer.server.port': '3000',
    })
    expect(traefikRoutes([service]).routes).toMatchObject([
      { router: 'MyRouter', upstream: 'tasks.s_app:3000' },
    ])
  })
})

describe('traefikRoutes: which service and port a router uses', () => {
  const upstreamOf = (services: SwarmServiceLabels[]): string[] =>
    traefikRoutes(services).routes.map((r) => r.upstream)
  const problemOf = (services: SwarmServiceLabels[]): string =>
    traefikRoutes(services)
      .problems.map((p) => `${p.router ?? '-'}: ${p.message}`)
      .join('\n')

  test('.service wins over the services the labels declare', () => {
    const service = oneRouter({
      ...port('a', '1111'),
      ...port('b', '2222'),
      'traefik.http.routers.r.service': 'b',
    })
    expect(upstreamOf([service])).toEqual(['tasks.s_app:2222'])
  })

  test('.service with @docker or @swarm is the same service', () => {
    for (const provider of ['docker', 'swarm']) {
      const service = oneRouter({
        ...port('b', '2222'),
        'traefik.http.routers.r.service': `b@${provider}`,
      })
      expect(upstreamOf([service])).toEqual(['tasks.s_app:2222'])
    }
  })

  test('.service may name a service declared by another enabled swarm service', () => {
    const router = oneRouter({ 'traefik.http.routers.r.service': 'synapse' })
    const backend = svc('s_synapse', { 'traefik.enable': 'true', ...port('synapse', '8008') })
    expect(traefikRoutes([router, backend]).routes).toEqual([
      expect.objectContaining({ service: 's_app', upstream: 'tasks.s_synapse:8008' }),
    ])
  })

  test('a service declared on a disabled swarm service does not count', () => {
    const router = oneRouter({ 'traefik.http.routers.r.service': 'synapse' })
    const backend = svc('s_synapse', port('synapse', '8008'))
    expect(problemOf([router, backend])).toBe(
      'r: no port for traefik service "synapse": missing label traefik.http.services.synapse.loadbalancer.server.port',
    )
  })

  test('without .service and with several services, the one named like the router', () => {
    const service = oneRouter({ ...port('a', '1111'), ...port('r', '2222') })
    expect(upstreamOf([service])).toEqual(['tasks.s_app:2222'])
  })

  test('without .service and with several services none named like the router: a problem', () => {
    expect(problemOf([oneRouter({ ...port('a'), ...port('b') })])).toBe(
      'r: router has no service and s_app declares several (a, b): set traefik.http.routers.r.service',
    )
  })

  test('no service at all: the missing port label is named after the router', () => {
    expect(problemOf([oneRouter({})])).toBe(
      'r: no port for traefik service "r": missing label traefik.http.services.r.loadbalancer.server.port',
    )
  })

  test('a service without a port names the missing label', () => {
    const service = oneRouter({ 'traefik.http.services.x.loadbalancer.sticky': 'true' })
    expect(problemOf([service])).toContain(
      'missing label traefik.http.services.x.loadbalancer.server.port',
    )
  })

  test.each([['web'], ['0'], ['70000'], ['80a']])('port %j is a problem', (value) => {
    expect(problemOf([oneRouter(port('x', value))])).toContain('is not a port number')
  })

  test('an https upstream scheme is reported', () => {
    const service = oneRouter({
      ...port('x', '8443'),
      'traefik.http.services.x.loadbalancer.server.scheme': 'https',
    })
    expect(problemOf([service])).toContain('scheme https')
  })

  test('a service name declared by two other swarm services is ambiguous', () => {
    const router = oneRouter({ 'traefik.http.routers.r.service': 'shared' })
    const one = svc('s_one', { 'traefik.enable': 'true', ...port('shared') })
    const two = svc('s_two', { 'traefik.enable': 'true', ...port('shared') })
    expect(problemOf([router, one, two])).toContain('several swarm services (s_one, s_two)')
  })

  test('one bad router does not stop the others', () => {
    const service = oneRouter({
      ...port('r', '80'),
      'traefik.http.routers.bad.rule': 'HostRegexp(`{sub:[a-z]+}.a.test`)',
      'traefik.http.routers.bad.service': 'r',
    })
    const { routes, problems } = traefikRoutes([service])
    expect(routes.map((r) => r.router)).toEqual(['r'])
    expect(problems.map((p) => p.router)).toEqual(['bad'])
  })
})

describe('parseRule', () => {
  test.each([
    ['Host(`a.test`)', [{ hosts: ['a.test'], pathPrefixes: [] }]],
    ['Host("a.test")', [{ hosts: ['a.test'], pathPrefixes: [] }]],
    ['HostHeader(`a.test`)', [{ hosts: ['a.test'], pathPrefixes: [] }]],
    ['host(`A.Test`)', [{ hosts: ['a.test'], pathPrefixes: [] }]],
    ['Host(`b.test`, `a.test`, `A.test`)', [{ hosts: ['a.test', 'b.test'], pathPrefixes: [] }]],
    ['Host(`a.test`) || Host(`b.test`)', [{ hosts: ['a.test', 'b.test'], pathPrefixes: [] }]],
    ['Host(`a.test`) && PathPrefix(`/x`)', [{ hosts: ['a.test'], pathPrefixes: ['/x'] }]],
    ['PathPrefix(`/x`) && Host(`a.test`)', [{ hosts: ['a.test'], pathPrefixes: ['/x'] }]],
    [
      'Host(`a.test`) && PathPrefix(`/y`, `/x`)',
      [{ hosts: ['a.test'], pathPrefixes: ['/x', '/y'] }],
    ],
    [
      '(Host(`a.test`) || Host(`b.test`)) && (PathPrefix(`/x`) || PathPrefix(`/y`))',
      [{ hosts: ['a.test', 'b.test'], pathPrefixes: ['/x', '/y'] }],
    ],
    [
      '(Host(`a.test`) && PathPrefix(`/x`)) || Host(`b.test`)',
      [
        { hosts: ['b.test'], pathPrefixes: [] },
        { hosts: ['a.test'], pathPrefixes: ['/x'] },
      ],
    ],
    [
      'Host(`a.test`) || Host(`a.test`) && PathPrefix(`/x`)',
      [{ hosts: ['a.test'], pathPrefixes: [] }],
    ],
    ['Host(`a.test`, `b.test`) && Host(`b.test`)', [{ hosts: ['b.test'], pathPrefixes: [] }]],
    ['  ( ( Host(`a.test`) ) )  ', [{ hosts: ['a.test'], pathPrefixes: [] }]],
  ])('%s', (rule, matches) => {
    expect(parseRule(rule)).toEqual({ ok: true, matches })
  })

  test('&& binds tighter than ||', () => {
    expect(parseRule('Host(`a.test`) && PathPrefix(`/x`) || Host(`b.test`)')).toEqual(
      parseRule('(Host(`a.test`) && PathPrefix(`/x`)) || Host(`b.test`)'),
    )
  })

  test.each([
    ['Host(`a.test`'],
    ['Host(`a.test`) &&'],
    ['Host(`a.test) '],
    ['Host(a.test)'],
    ['Host(`a.test`) Host(`b.test`)'],
    ['Host(`a.test`) & PathPrefix(`/x`)'],
    [''],
  ])('%j cannot be parsed, and the message quotes it', (rule) => {
    const parsed = parseRule(rule)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.message).toContain(`cannot parse rule ${JSON.stringify(rule)}`)
  })

  test.each([
    ['HostRegexp(`{sub:[a-z]+}.a.test`)', 'HostRegexp'],
    ['Host(`a.test`) || HostRegexp(`^.+\\.a\\.test$`)', 'HostRegexp'],
    ['Host(`a.test`) && Path(`/x`)', 'Path()'],
    ['Host(`a.test`) && Headers(`X-A`, `1`)', 'Headers()'],
    ['Host(`a.test`) && !PathPrefix(`/x`)', 'negation'],
    ['PathPrefix(`/x`)', 'no Host()'],
    ['Host(`a.test`) || PathPrefix(`/x`)', 'no Host()'],
    ['Host(``)', 'non-empty'],
    ['Host(`a.test`) && PathPrefix(`x`)', 'starting with "/"'],
    ['Host(`a.test`) && PathPrefix(`/x`) && PathPrefix(`/x/y`)', 'several PathPrefix'],
    ['Host(`a.test`) && Host(`b.test`)', 'never match'],
  ])('%s is unsupported (%s)', (rule, reason) => {
    const parsed = parseRule(rule)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.message).toContain(`unsupported rule ${JSON.stringify(rule)}`)
    expect(!parsed.ok && parsed.message).toContain(reason)
  })

  test('a huge OR of ANDs is refused instead of exploding', () => {
    const alt = '(Host(`a.test`) || Host(`b.test`) || Host(`c.test`))'
    const parsed = parseRule(Array.from({ length: 5 }, () => alt).join(' && '))
    expect(parsed.ok).toBe(false)
  })
})
