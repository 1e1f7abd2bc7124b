/** Label sets of real recipes (trimmed), as swarm services carry them, for the proxy route tests. */
import type { SwarmServiceLabels } from '../../harness/proxy/traefik-routes.ts'

/** Labels as `docker service inspect` shows them: compose interpolation already done. */
export function svc(service: string, labels: Record<string, string>): SwarmServiceLabels {
  return { service, labels }
}

/** Turns compose `- "key=value"` label lines into a label map. */
export function labels(...lines: string[]): Record<string, string> {
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
export function bonfire(extraDomains: string): SwarmServiceLabels {
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
export const bonfireDb = svc('bonf-1a2b3c_ci_localhost_db', labels('backupbot.backup=true'))

// Source: ahdinosaur/coop-cloud-traefik compose.yml (2021 fork of coop-cloud/traefik), service
// `app`, rendered with DOMAIN=traefik.ci.localhost.
export const traefikRecipe = svc(
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
export const coopCloudDocs = svc(
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
export const fastapi = [
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
export const keycloak = svc(
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
