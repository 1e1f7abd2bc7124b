import { describe, expect, test } from 'vitest'
import { traefikRoutes } from '../../harness/proxy/traefik-routes.ts'

import {
  svc,
  bonfire,
  bonfireDb,
  traefikRecipe,
  coopCloudDocs,
  fastapi,
  keycloak,
} from '../support/traefik-labels.ts'

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
