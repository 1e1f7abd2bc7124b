import { createPublicKey, randomBytes, verify } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadSettings } from '../../harness/config/settings.ts'
import { keycloakProvider } from '../../harness/deps/keycloak-provider.ts'
import { adminTarget, keycloakTarget } from '../../harness/deps/keycloak-target.ts'
import type { DependencyRun } from '../../harness/deps/dependency-port.ts'
import type { KeycloakProvision } from '../../harness/deps/run-deps.ts'
import { hostCa } from '../../harness/host/local-host.ts'
import { leaseAlive, readLeases } from '../../harness/janitor/lease.ts'
import { httpRequest, type HttpResponse } from '../../harness/http/index.ts'
import { createRunRealm, deleteRealm, listRealms } from '../../harness/keycloak/keycloak-admin.ts'
import { RecipeConfigSchema } from '../../harness/recipe/recipe-config.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * The conformance test of the local SSO stand-in (harness/sso-double) against Keycloak: the same
 * provider code (harness/deps/keycloak-provider.ts) and the same admin-client calls
 * (harness/keycloak/keycloak-admin.ts) that runs use, and the OpenID Connect flow an app and a
 * browser go through, over HTTPS through the local proxy. Each test names one Keycloak behaviour
 * the stand-in reproduces; together they are exactly the behaviours cc-ci relies on. With
 * CCCI_KEYCLOAK_URL and CCCI_KEYCLOAK_ADMIN_FILE set, the same tests run against a real Keycloak.
 */
const settings = loadSettings()
const target = keycloakTarget(settings)
const admin = adminTarget(target)
const ca = hostCa(settings)
const loopbackSuffix = target.standIn ? settings.domainSuffix : undefined
const work = mkdtempSync(join(tmpdir(), 'ccci-sso-conformance-'))
const APP = 'https://conformance.example.org'

const run: DependencyRun = {
  runId: `sso-conformance-${randomBytes(4).toString('hex')}`,
  recipe: 'sso-conformance',
  domain: 'conformance.example.org',
  url: `${APP}/`,
  // Another state folder's run: a janitor of this machine running meanwhile leaves its realm alone.
  home: work,
  runDir: work,
  config: RecipeConfigSchema.parse({ deps: ['keycloak'], keycloak: { redirectPaths: ['/cb*'] } }),
}
let provision: KeycloakProvision

function http(url: string, options: Parameters<typeof httpRequest>[1] = {}): Promise<HttpResponse> {
  return httpRequest(url, { ca, loopbackSuffix, timeoutMs: 15_000, ...options })
}

/** A browser's cookies, by name (paths are not needed for one realm's flow). */
class Cookies {
  readonly #values = new Map<string, string>()
  take(response: HttpResponse): void {
    const header = response.headers['set-cookie'] ?? ''
    for (const cookie of header.split(/,(?=\s*[^;=\s]+=)/)) {
      const [pair] = cookie.trim().split(';')
      const at = pair?.indexOf('=') ?? -1
      if (pair !== undefined && at > 0) {
        this.#values.set(pair.slice(0, at), pair.slice(at + 1))
      }
    }
  }
  header(): Record<string, string> {
    return { cookie: [...this.#values].map(([k, v]) => `${k}=${v}`).join('; ') }
  }
}

/** Follows redirects as a browser would, keeping cookies, until a page or `stopAt` is reached. */
async function browse(
  url: string,
  cookies: Cookies,
  stopAt: string,
  init: Parameters<typeof http>[1] = {},
) {
  let response = await http(url, { ...init, headers: { ...init.headers, ...cookies.header() } })
  let current = url
  for (let hops = 0; hops < 10; hops++) {
    cookies.take(response)
    const location = response.headers.location
    if (response.status < 300 || response.status >= 400 || location === undefined) {
      return { response, url: current }
    }
    current = new URL(location, current).href
    if (current.startsWith(stopAt)) {
      return { response, url: current }
    }
    response = await http(current, { headers: cookies.header() })
  }
  throw new Error(`too many redirects from ${url}`)
}

const json = (response: HttpResponse): Record<string, unknown> =>
  JSON.parse(response.body) as Record<string, unknown>

function decodeJwt(token: string) {
  const [header, payload, signature] = token.split('.')
  const part = (s: string | undefined) =>
    JSON.parse(Buffer.from(s ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
  return {
    header: part(header),
    payload: part(payload),
    signed: `${header}.${payload}`,
    signature: signature ?? '',
  }
}

beforeAll(async () => {
  const provider = keycloakProvider(settings)
  await provider.ready()
  provision = (await provider.provision(run)).deps.keycloak as KeycloakProvision
})
afterAll(async () => {
  await deleteRealm(admin, run.runId).catch(() => false)
  rmSync(work, { recursive: true, force: true })
})

describe('admin REST API (the calls cc-ci makes through @keycloak/keycloak-admin-client)', () => {
  test('the admin-cli password grant on the master realm refuses a wrong password with 401 invalid_grant', async () => {
    const response = await http(`${target.adminUrl}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'admin-cli',
        username: admin.username,
        password: 'wrong',
      }).toString(),
    })
    expect(response.status).toBe(401)
    expect(json(response).error).toBe('invalid_grant')
  })

  test('the admin API refuses a request without a bearer token with 401', async () => {
    expect((await http(`${target.adminUrl}/admin/realms`)).status).toBe(401)
  })

  test('a created realm is listed with its attributes (the owner marks the janitor reads)', async () => {
    const found = (await listRealms(admin)).find((r) => r.realm === run.runId)
    expect(found?.attributes).toMatchObject({
      'cc-ci.run': run.runId,
      'cc-ci.recipe': run.recipe,
    })
  })

  test('creating a realm whose name exists fails with 409', async () => {
    await expect(
      createRunRealm(admin, {
        realm: run.runId,
        attributes: {},
        client: { clientId: 'x', secret: 'x', redirectUris: [], webOrigins: [] },
        user: {
          username: 'x',
          password: 'x',
          email: 'x@example.org',
          firstName: 'x',
          lastName: 'x',
        },
      }),
    ).rejects.toThrow(/HTTP 409/)
  })

  test('deleting a realm removes its issuer; deleting it again answers 404 (deleteRealm: false)', async () => {
    const name = `${run.runId}-gone`
    await createRunRealm(admin, {
      realm: name,
      attributes: { 'cc-ci.run': name },
      client: {
        clientId: 'c',
        secret: 's'.repeat(16),
        redirectUris: [`${APP}/*`],
        webOrigins: [APP],
      },
      user: {
        username: 'u',
        password: 'p'.repeat(16),
        email: 'u@example.org',
        firstName: 'u',
        lastName: 'u',
      },
    })
    expect(
      (await http(`${target.issuerBase}/realms/${name}/.well-known/openid-configuration`)).status,
    ).toBe(200)
    expect(await deleteRealm(admin, name)).toBe(true)
    expect(
      (await http(`${target.issuerBase}/realms/${name}/.well-known/openid-configuration`)).status,
    ).toBe(404)
    expect(await deleteRealm(admin, name)).toBe(false)
  })
})

describe("a realm's OpenID Connect endpoints (what the app and the browser use)", () => {
  test('discovery at /realms/<realm>/.well-known/openid-configuration names the issuer and Keycloak’s endpoint paths', async () => {
    const response = await http(`${provision.issuer}/.well-known/openid-configuration`)
    expect(response.status).toBe(200)
    const base = `${provision.issuer}/protocol/openid-connect`
    expect(json(response)).toMatchObject({
      issuer: provision.issuer,
      authorization_endpoint: `${base}/auth`,
      token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/userinfo`,
      jwks_uri: `${base}/certs`,
      end_session_endpoint: `${base}/logout`,
    })
    expect(json(response).token_endpoint_auth_methods_supported).toContain('client_secret_basic')
  })

  test('an unregistered redirect URI is refused without redirecting', async () => {
    const url = new URL(`${provision.issuer}/protocol/openid-connect/auth`)
    url.search = new URLSearchParams({
      client_id: provision.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: 'https://elsewhere.example.org/cb',
    }).toString()
    const response = await http(url.href)
    expect(response.status).toBe(400)
    expect(response.headers.location).toBeUndefined()
  })

  test('the code flow: login form, wrong password refused, then a signed ID token with the user’s claims, userinfo and logout', async () => {
    const cookies = new Cookies()
    const state = randomBytes(8).toString('hex')
    const redirectUri = `${APP}/cb`
    const auth = new URL(`${provision.issuer}/protocol/openid-connect/auth`)
    auth.search = new URLSearchParams({
      client_id: provision.clientId,
      response_type: 'code',
      scope: 'openid profile email',
      redirect_uri: redirectUri,
      state,
    }).toString()
    const login = await browse(auth.href, cookies, redirectUri)
    // Keycloak's login theme: the form and field ids a browser flow fills.
    expect(login.response.status).toBe(200)
    for (const id of ['kc-form-login', 'username', 'password', 'kc-login']) {
      expect(login.response.body).toContain(`id="${id}"`)
    }
    const action = new URL(
      /id="kc-form-login" action="([^"]+)"/
        .exec(login.response.body)?.[1]
        ?.replaceAll('&amp;', '&') ?? '',
      login.url,
    ).href
    const form = (password: string) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: provision.user.username, password }).toString(),
    })
    const refused = await browse(action, cookies, redirectUri, form('wrong'))
    expect(refused.response.body).toContain('Invalid username or password.')
    const back = await browse(action, cookies, redirectUri, form(provision.user.password))
    const callback = new URL(back.url)
    expect(callback.origin + callback.pathname).toBe(redirectUri)
    expect(callback.searchParams.get('state')).toBe(state)
    const code = callback.searchParams.get('code') ?? ''

    const token = await http(`${provision.issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${provision.clientId}:${provision.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
      }).toString(),
    })
    expect(token.status, token.body).toBe(200)
    const tokens = json(token)
    const idToken = decodeJwt(String(tokens.id_token))
    expect(idToken.header.alg).toBe('RS256')
    expect(idToken.payload).toMatchObject({
      iss: provision.issuer,
      aud: provision.clientId,
      preferred_username: provision.user.username,
      email: provision.user.email,
    })
    const jwks = json(await http(`${provision.issuer}/protocol/openid-connect/certs`))
      .keys as Record<string, unknown>[]
    const jwk = jwks.find((k) => k.kid === idToken.header.kid)
    expect(jwk, 'the signing key is in the realm’s JWKS').toBeDefined()
    const key = createPublicKey({ key: jwk as never, format: 'jwk' })
    expect(
      verify(
        'RSA-SHA256',
        Buffer.from(idToken.signed),
        key,
        Buffer.from(idToken.signature, 'base64url'),
      ),
    ).toBe(true)

    const userinfo = await http(`${provision.issuer}/protocol/openid-connect/userinfo`, {
      headers: { authorization: `Bearer ${String(tokens.access_token)}` },
    })
    expect(userinfo.status).toBe(200)
    expect(json(userinfo)).toMatchObject({
      sub: idToken.payload.sub,
      preferred_username: provision.user.username,
    })

    const logout = new URL(`${provision.issuer}/protocol/openid-connect/logout`)
    logout.search = new URLSearchParams({
      id_token_hint: String(tokens.id_token),
      post_logout_redirect_uri: `${APP}/cb-logged-out`,
    }).toString()
    const out = await http(logout.href, { headers: cookies.header() })
    expect(
      out.status,
      'the logout endpoint answers (a confirmation page or the redirect)',
    ).toBeLessThan(400)
  })

  test('a wrong client secret is refused at the token endpoint with 401 invalid_client', async () => {
    const response = await http(`${provision.issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${provision.clientId}:wrong`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: `${APP}/cb`,
      }).toString(),
    })
    expect(response.status).toBe(401)
    expect(json(response).error).toBe('invalid_client')
  })
})

describe('the provider (harness/deps/keycloak-provider.ts) against it', () => {
  test('release deletes the run’s realm, and a second release finds it already gone', async () => {
    const provider = keycloakProvider(settings)
    const other: DependencyRun = { ...run, runId: `${run.runId}-rel` }
    await provider.provision(other)
    expect((await listRealms(admin)).map((r) => r.realm)).toContain(other.runId)
    expect(await provider.release(provider.journal(other))).toBe(`realm ${other.runId}`)
    expect(await provider.release(provider.journal(other))).toBe(
      `realm ${other.runId} (already gone)`,
    )
  })

  test('reapDead removes the realm of a run without a live lease and keeps a live run’s', async () => {
    const provider = keycloakProvider(settings)
    const dead: DependencyRun = { ...run, runId: `${run.runId}-dead`, home: settings.home }
    const live: DependencyRun = { ...run, runId: `${run.runId}-live`, home: settings.home }
    await provider.provision(dead)
    await provider.provision(live)
    try {
      // Alive: the "live" run, and every run of this machine with a live lease (never touched).
      const alive = () =>
        new Set([
          live.runId,
          ...readLeases(settings.home)
            .filter(leaseAlive)
            .map((l) => l.runId),
        ])
      const reaped = await provider.reapDead(alive, { dryRun: false })
      expect(reaped).toContain(dead.runId)
      expect(reaped).not.toContain(live.runId)
      const left = (await listRealms(admin)).map((r) => r.realm)
      expect(left).not.toContain(dead.runId)
      expect(left).toContain(live.runId)
    } finally {
      await deleteRealm(admin, live.runId)
    }
  })
})
