import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type Provider from 'oidc-provider'
import { AdminAuth, adminApi } from './admin-api.ts'
import { handleLogin, LOGIN_PATH, realmProvider } from './realm-oidc.ts'
import { RealmStore } from './realm-store.ts'

/**
 * The local SSO stand-in: Keycloak's realm-scoped OpenID Connect endpoints on oidc-provider and
 * the part of Keycloak's admin REST API cc-ci uses, over plain HTTP behind the local HTTPS proxy.
 * Configured by its environment (set by harness/sso-double/sso-service.ts).
 */
const {
  CCCI_SSO_ISSUER_BASE: issuerBaseSetting,
  CCCI_SSO_ADMIN_USER: adminUser,
  CCCI_SSO_ADMIN_PASSWORD_SHA256: adminPasswordSha256,
  CCCI_SSO_PORT: portSetting,
} = process.env
if (!issuerBaseSetting || !adminUser || !adminPasswordSha256) {
  throw new Error(
    'the SSO stand-in needs CCCI_SSO_ISSUER_BASE, CCCI_SSO_ADMIN_USER and CCCI_SSO_ADMIN_PASSWORD_SHA256',
  )
}
const issuerBase = issuerBaseSetting.replace(/\/$/, '')
const auth = new AdminAuth(adminUser, adminPasswordSha256)
const port = Number(portSetting ?? '8080')
const publicUrl = new URL(issuerBase)
const store = new RealmStore()
const providers = new Map<string, Provider>()

function providerOf(realm: string): Provider {
  let provider = providers.get(realm)
  if (provider === undefined) {
    provider = realmProvider(store, realm, issuerBase)
    providers.set(realm, provider)
  }
  return provider
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) {
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function send(res: ServerResponse, status: number, body?: unknown, headers = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers)
    res.end()
    return
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stand-in')
  const method = req.method ?? 'GET'
  const path = url.pathname
  if (path === '/health/ready' || path === '/health/live') {
    send(res, 200, { status: 'UP', checks: [] })
    return
  }
  if (path.startsWith('/admin/realms')) {
    if (!auth.allows(req.headers.authorization)) {
      send(res, 401, { error: 'HTTP 401 Unauthorized' })
      return
    }
    const raw = method === 'GET' || method === 'DELETE' ? '' : await readBody(req)
    const body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>)
    const segments = path
      .slice('/admin/realms'.length)
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent)
    const answer = adminApi(
      store,
      { method, segments, query: url.searchParams, body, location: issuerBase },
      (realm) => providers.delete(realm),
    )
    send(res, answer.status, answer.body, answer.headers)
    return
  }
  const match = /^\/realms\/([^/]+)(\/.*)?$/.exec(path)
  if (match === null) {
    send(res, 404, { error: 'Unable to find matching target resource method' })
    return
  }
  const realm = decodeURIComponent(match[1] ?? '')
  const rest = match[2] ?? ''
  if (realm === 'master' && rest === '/protocol/openid-connect/token' && method === 'POST') {
    const answer = auth.token(new URLSearchParams(await readBody(req)))
    send(res, answer.status, answer.body)
    return
  }
  if (!store.has(realm)) {
    send(res, 404, { error: 'Realm does not exist' })
    return
  }
  if (rest === '' || rest === '/') {
    send(res, 200, {
      realm,
      'token-service': `${issuerBase}/realms/${realm}/protocol/openid-connect`,
      'account-service': `${issuerBase}/realms/${realm}/account`,
      'tokens-not-before': 0,
    })
    return
  }
  // As Keycloak with a fixed hostname (KC_HOSTNAME): every URL it issues is the public one,
  // whether the request came through the proxy (a browser) or straight from an app's container.
  req.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1)
  req.headers['x-forwarded-host'] = publicUrl.host
  const provider = providerOf(realm)
  if (rest === LOGIN_PATH) {
    const form = method === 'POST' ? new URLSearchParams(await readBody(req)) : undefined
    await handleLogin(provider, store, realm, req, res, form)
    return
  }
  // oidc-provider serves the realm below its mount path (the issuer's path).
  const mounted = req as IncomingMessage & { originalUrl?: string }
  mounted.originalUrl = req.url
  req.url = (req.url ?? '/').slice(`/realms/${match[1] ?? ''}`.length) || '/'
  await provider.callback()(req, res)
}

createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    if (!res.headersSent) {
      send(res, 500, { error: 'unknown_error' })
    } else {
      res.end()
    }
  })
}).listen(port, () => {
  process.stdout.write(`sso stand-in listening on ${port}, issuers ${issuerBase}/realms/<realm>\n`)
})
