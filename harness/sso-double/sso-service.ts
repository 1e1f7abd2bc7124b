import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TarEntry } from '../archive/tar.ts'
import type { Settings } from '../config/settings.ts'
import { createService, inspectImage, inspectService, removeService } from '../docker/index.ts'
import { httpRequest } from '../http/index.ts'
import { ensureNodeAppImage } from '../host/node-image.ts'
import { HOST_LABEL, PROXY_NETWORK } from '../host/proxy-service.ts'
import { pollUntil } from '../poll.ts'
import { withLock } from '../files/file-lock.ts'
import { z } from 'zod'

/**
 * The local SSO stand-in as a swarm service: `ccci-sso`, on the `proxy` network, routed by the
 * local HTTPS proxy from its Traefik labels at `https://sso.<suffix>`, its admin API published on
 * the host's port {@link SSO_ADMIN_PORT}. `ccci host up` keeps it up; a run starts it cold when
 * it is missing.
 */
export const SSO_SERVICE = 'ccci-sso'
export const SSO_IMAGE = 'ccci-local/sso:1'
/** The host port of the stand-in's admin API (plain HTTP, like Keycloak's `http-port`). */
export const SSO_ADMIN_PORT = 8180
const INSIDE_PORT = 8080
const SPEC_LABEL = 'cc-ci.sso-spec'
const SERVER_DIR = new URL('./server/', import.meta.url)

export const AdminCredentialsSchema = z.strictObject({
  username: z.string().min(1),
  password: z.string().min(1),
})
export type AdminCredentials = z.infer<typeof AdminCredentialsSchema>

/** Where the stand-in is reached: the public issuer base, the admin API, the app containers' URL. */
export interface LocalSso {
  issuerBase: string
  adminUrl: string
  internalUrl: string
  credentialsFile: string
}

export function localSso(settings: Settings): LocalSso {
  const port = settings.proxyPort === 443 ? '' : `:${settings.proxyPort}`
  return {
    issuerBase: `https://sso.${settings.domainSuffix}${port}`,
    adminUrl: `http://127.0.0.1:${SSO_ADMIN_PORT}`,
    internalUrl: `http://tasks.${SSO_SERVICE}:${INSIDE_PORT}`,
    credentialsFile: join(settings.home, 'host', 'sso-admin.json'),
  }
}

/** The stand-in's admin user, made once per host (0600). */
export function ensureAdminCredentials(file: string): AdminCredentials {
  if (!existsSync(file)) {
    mkdirSync(join(file, '..'), { recursive: true })
    const made = { username: 'admin', password: randomBytes(24).toString('base64url') }
    writeFileSync(file, `${JSON.stringify(made)}\n`, { mode: 0o600 })
  }
  return AdminCredentialsSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
}

function serverFiles(): TarEntry[] {
  return readdirSync(SERVER_DIR)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => ({ type: 'file', name, content: readFileSync(new URL(name, SERVER_DIR)) }))
}

/** Builds the stand-in's image (Node, oidc-provider and the server) unless it is up to date. */
export function ensureSsoImage(): Promise<'built' | 'present'> {
  return ensureNodeAppImage(SSO_IMAGE, {
    files: serverFiles(),
    packages: ['oidc-provider'],
    main: 'main.ts',
  })
}

/** Whether the stand-in answers on its admin port. */
export async function ssoHealthy(adminUrl: string): Promise<boolean> {
  const response = await httpRequest(`${adminUrl}/health/ready`, { timeoutMs: 3000 }).catch(
    () => undefined,
  )
  return response?.status === 200
}

/**
 * Creates the `ccci-sso` service, or recreates it when its image or settings changed; waits until
 * it answers. Idempotent: a service with the same spec is left alone (and keeps its realms).
 */
export function ensureSsoService(settings: Settings): Promise<'created' | 'present'> {
  // One at a time: `host up` and runs starting it cold may race.
  return withLock(join(settings.home, 'host', 'sso.lock'), () => ensureUnlocked(settings), 180_000)
}

async function ensureUnlocked(settings: Settings): Promise<'created' | 'present'> {
  const sso = localSso(settings)
  const credentials = ensureAdminCredentials(sso.credentialsFile)
  await ensureSsoImage()
  const image = await inspectImage(SSO_IMAGE)
  const env = [
    `CCCI_SSO_ISSUER_BASE=${sso.issuerBase}`,
    `CCCI_SSO_ADMIN_USER=${credentials.username}`,
    // Only the password's hash reaches the service spec.
    `CCCI_SSO_ADMIN_PASSWORD_SHA256=${createHash('sha256').update(credentials.password).digest('hex')}`,
    `CCCI_SSO_PORT=${INSIDE_PORT}`,
  ]
  const spec = createHash('sha256')
    .update(`${image?.id ?? ''}\n${env.join('\n')}`)
    .digest('hex')
    .slice(0, 16)
  const existing = await inspectService(SSO_SERVICE)
  if (existing?.labels[SPEC_LABEL] === spec && (await ssoHealthy(sso.adminUrl))) {
    return 'present'
  }
  if (existing !== undefined) {
    await removeService(SSO_SERVICE)
    await pollUntil(
      async () => ((await inspectService(SSO_SERVICE)) === undefined ? undefined : 'removing'),
      {
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    )
  }
  const host = sso.issuerBase.replace(/^https:\/\//, '').replace(/:\d+$/, '')
  await createService({
    Name: SSO_SERVICE,
    Labels: {
      [HOST_LABEL]: 'sso',
      [SPEC_LABEL]: spec,
      'traefik.enable': 'true',
      [`traefik.http.routers.${SSO_SERVICE}.rule`]: `Host(\`${host}\`)`,
      [`traefik.http.routers.${SSO_SERVICE}.entrypoints`]: 'web-secure',
      [`traefik.http.services.${SSO_SERVICE}.loadbalancer.server.port`]: String(INSIDE_PORT),
    },
    TaskTemplate: {
      ContainerSpec: { Image: SSO_IMAGE, Env: env, Labels: { [HOST_LABEL]: 'sso' } },
      Networks: [{ Target: PROXY_NETWORK }],
      RestartPolicy: { Condition: 'any', Delay: 1_000_000_000 },
    },
    Mode: { Replicated: { Replicas: 1 } },
    EndpointSpec: {
      Mode: 'dnsrr',
      Ports: [
        {
          Protocol: 'tcp',
          TargetPort: INSIDE_PORT,
          PublishedPort: SSO_ADMIN_PORT,
          PublishMode: 'host',
        },
      ],
    },
  })
  await waitSsoHealthy(sso.adminUrl, 60_000)
  return 'created'
}

/** Waits until the stand-in answers; false when it did not within `timeoutMs`. */
export async function waitSsoHealthy(adminUrl: string, timeoutMs: number): Promise<boolean> {
  const pending = await pollUntil(
    async () => ((await ssoHealthy(adminUrl)) ? undefined : 'starting'),
    { timeoutMs, intervalMs: 500 },
  )
  return pending === undefined
}

/** Removes the stand-in (`ccci host down`); its realms go with it. */
export function removeSsoService(): Promise<boolean> {
  return removeService(SSO_SERVICE)
}
