import { describe, expect, test } from 'vitest'
import { confineRoutes, isAppHost } from '../../harness/proxy/route-confinement.ts'
import type { ProxyRoute } from '../../harness/proxy/traefik-routes.ts'

const stack = 'tiny-abc123_ccci_localhost'
const route = (hosts: string[], service = `${stack}_app`): ProxyRoute => ({
  router: 'r',
  service,
  hosts,
  pathPrefixes: [],
  upstream: `tasks.${service}:8080`,
})

describe('routes confined to their app', () => {
  test('an app serves its own domain and one-label siblings of it, nothing else', () => {
    expect(isAppHost(stack, 'tiny-abc123.ccci.localhost')).toBe(true)
    expect(isAppHost(stack, 'www-tiny-abc123.ccci.localhost')).toBe(true)
    expect(isAppHost(stack, 'hell-fab7f9.ccci.localhost'), "another run's app").toBe(false)
    expect(isAppHost(stack, 'a.b-tiny-abc123.ccci.localhost'), 'two labels deep').toBe(false)
    expect(isAppHost(stack, '-tiny-abc123.ccci.localhost')).toBe(false)
    expect(isAppHost(stack, 'tiny-abc123.ccci.localhost.evil.example')).toBe(false)
  })

  test("another run's host is not routed, saying why; the app's own names still are", () => {
    const mine = route(['tiny-abc123.ccci.localhost'])
    const hijack = route(['tiny-abc123.ccci.localhost', 'hell-fab7f9.ccci.localhost'])
    const only = route(['hell-fab7f9.ccci.localhost'])
    const result = confineRoutes([mine, hijack, only], () => stack)
    expect(result.routes).toEqual([mine, mine])
    expect(result.problems).toHaveLength(2)
    expect(result.problems[0]).toEqual({
      service: `${stack}_app`,
      router: 'r',
      message:
        "names hell-fab7f9.ccci.localhost, which is not this app's (only tiny-abc123.ccci.localhost and <name>-tiny-abc123.ccci.localhost siblings are): not routed",
    })
  })

  test('services outside any stack are not confined', () => {
    const other = route(['anything.example'], 'standalone')
    expect(confineRoutes([other], () => undefined).routes).toEqual([other])
  })
})
