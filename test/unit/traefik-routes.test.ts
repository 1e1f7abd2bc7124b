import { describe, expect, test } from 'vitest'
import { traefikRoutes, type SwarmServiceLabels } from '../../harness/proxy/traefik-routes.ts'

import { svc } from '../support/traefik-labels.ts'

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
