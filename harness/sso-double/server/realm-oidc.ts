import { generateKeyPairSync, randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import Provider, { type Adapter, type AdapterPayload, type KoaContextWithOIDC } from 'oidc-provider'
import { loginPage } from './login-page.ts'
import { redirectUriAllowed, type RealmStore } from './realm-store.ts'

/** Keycloak's OpenID Connect paths below `/realms/<realm>`. */
export const KEYCLOAK_ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  userinfo: '/protocol/openid-connect/userinfo',
  jwks: '/protocol/openid-connect/certs',
  end_session: '/protocol/openid-connect/logout',
  revocation: '/protocol/openid-connect/revoke',
  introspection: '/protocol/openid-connect/token/introspect',
}

/** Where the login form lives, as in Keycloak: `/realms/<realm>/login-actions/authenticate`. */
export const LOGIN_PATH = '/login-actions/authenticate'

/** oidc-provider's storage for one realm, in memory; its clients come from the realm's admin data. */
function memoryAdapter(store: RealmStore, realm: string) {
  const models = new Map<string, Map<string, { payload: AdapterPayload; expires: number }>>()
  return (name: string): Adapter => {
    const items =
      models.get(name) ?? new Map<string, { payload: AdapterPayload; expires: number }>()
    models.set(name, items)
    const live = (id: string) => {
      const item = items.get(id)
      if (item === undefined || item.expires < Date.now()) {
        items.delete(id)
        return undefined
      }
      return item.payload
    }
    return {
      upsert(id, payload, expiresIn) {
        items.set(id, { payload, expires: Date.now() + (expiresIn ?? 3600) * 1000 })
        return Promise.resolve()
      },
      find(id) {
        if (name !== 'Client') {
          return Promise.resolve(live(id))
        }
        const client = store.has(realm) ? store.clientByClientId(realm, id) : undefined
        if (client === undefined || !client.enabled || !client.standardFlowEnabled) {
          return Promise.resolve(undefined)
        }
        return Promise.resolve({
          client_id: client.clientId,
          ...(client.publicClient
            ? { token_endpoint_auth_method: 'none' }
            : { client_secret: client.secret }),
          // oidc-provider checks each redirect URI itself; Keycloak's wildcards are checked below.
          redirect_uris: client.redirectUris.map((u) => u.replace(/\*$/, '')),
          post_logout_redirect_uris: client.redirectUris.map((u) => u.replace(/\*$/, '')),
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
        })
      },
      findByUid(uid) {
        const found = [...items.keys()].find((id) => live(id)?.uid === uid)
        return Promise.resolve(found === undefined ? undefined : live(found))
      },
      findByUserCode(userCode) {
        const found = [...items.keys()].find((id) => live(id)?.userCode === userCode)
        return Promise.resolve(found === undefined ? undefined : live(found))
      },
      consume(id) {
        const payload = live(id)
        if (payload !== undefined) {
          payload.consumed = Math.floor(Date.now() / 1000)
        }
        return Promise.resolve()
      },
      destroy(id) {
        items.delete(id)
        return Promise.resolve()
      },
      revokeByGrantId(grantId) {
        for (const [id, item] of items) {
          if (item.payload.grantId === grantId) {
            items.delete(id)
          }
        }
        return Promise.resolve()
      },
    }
  }
}

/** One realm's OpenID provider, at `<base>/realms/<realm>`, with Keycloak's paths and claims. */
export function realmProvider(store: RealmStore, realm: string, base: string): Provider {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }
  const provider = new Provider(`${base}/realms/${realm}`, {
    adapter: memoryAdapter(store, realm),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    routes: KEYCLOAK_ROUTES,
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    pkce: { required: () => false },
    // Keycloak puts the scopes' claims (preferred_username, email, name) in the ID token too.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: {
      url: (_ctx, interaction) => `/realms/${realm}${LOGIN_PATH}?uid=${interaction.uid}`,
    },
    findAccount(_ctx, sub) {
      const user = store.has(realm) ? store.realm(realm).users.get(sub) : undefined
      if (user === undefined) {
        return undefined
      }
      const name = [user.firstName, user.lastName].filter(Boolean).join(' ')
      return {
        accountId: sub,
        claims: () => ({
          sub,
          preferred_username: user.username,
          ...(name === '' ? {} : { name }),
          given_name: user.firstName,
          family_name: user.lastName,
          email: user.email,
          email_verified: user.emailVerified,
        }),
      }
    },
    // Keycloak asks no consent of a client unless it is configured to: grant what is requested.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session } = ctx.oidc
      if (client === undefined || session?.accountId === undefined) {
        return undefined
      }
      const existing = session.grantIdFor(client.clientId)
      if (existing !== undefined) {
        const grant = await ctx.oidc.provider.Grant.find(existing)
        if (grant !== undefined) {
          return grant
        }
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      })
      const scope = ctx.oidc.params?.scope
      grant.addOIDCScope(typeof scope === 'string' ? scope : 'openid')
      await grant.save()
      return grant
    },
  })
  provider.proxy = true
  const allowed = (uri: string, registered: string[]) => redirectUriAllowed(registered, uri)
  const registeredOf = (clientId: string) =>
    store.has(realm) ? (store.clientByClientId(realm, clientId)?.redirectUris ?? []) : []
  provider.Client.prototype.redirectUriAllowed = function (this: { clientId: string }, uri) {
    return allowed(uri, registeredOf(this.clientId))
  }
  provider.Client.prototype.postLogoutRedirectUriAllowed = function (
    this: { clientId: string },
    uri,
  ) {
    return allowed(uri, registeredOf(this.clientId))
  }
  return provider
}

/** The login form of an interaction (GET) and its submission (POST). */
export async function handleLogin(
  provider: Provider,
  store: RealmStore,
  realm: string,
  req: IncomingMessage,
  res: ServerResponse,
  form: URLSearchParams | undefined,
): Promise<void> {
  const details = await provider.interactionDetails(req, res)
  if (details.prompt.name !== 'login') {
    // Consent is granted by loadExistingGrant; any other prompt continues as Keycloak would.
    await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true })
    return
  }
  const action = `/realms/${realm}${LOGIN_PATH}?uid=${encodeURIComponent(details.uid)}`
  if (form === undefined) {
    sendPage(res, 200, loginPage(realm, action, undefined))
    return
  }
  const user = store.authenticate(realm, form.get('username') ?? '', form.get('password') ?? '')
  if (user === undefined) {
    sendPage(res, 200, loginPage(realm, action, 'Invalid username or password.'))
    return
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: user.id } },
    { mergeWithLastSubmission: false },
  )
}

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  })
  res.end(html)
}
