import { createHash, randomBytes } from 'node:crypto'
import {
  AdminError,
  clientRepresentation,
  realmRepresentation,
  same,
  userRepresentation,
  type RealmStore,
} from './realm-store.ts'

/** A request to the admin REST API, parsed by the server. */
export interface AdminRequest {
  method: string
  /** The path below `/admin/realms`, split: `[]`, `[realm]`, `[realm, 'clients', id, ...]`. */
  segments: string[]
  query: URLSearchParams
  body: Record<string, unknown>
  /** The base URL of this request, for `Location` headers. */
  location: string
}

export interface AdminResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/** The admin user and the bearer tokens it was issued (Keycloak's `admin-cli` password grant). */
export class AdminAuth {
  readonly #username: string
  readonly #passwordSha256: string
  readonly #tokens = new Map<string, number>()

  constructor(username: string, passwordSha256: string) {
    this.#username = username
    this.#passwordSha256 = passwordSha256
  }

  /** `POST /realms/master/protocol/openid-connect/token`, `grant_type=password`, `client_id=admin-cli`. */
  token(form: URLSearchParams): AdminResponse {
    if (form.get('client_id') !== 'admin-cli') {
      return {
        status: 401,
        body: {
          error: 'invalid_client',
          error_description: 'Invalid client or Invalid client credentials',
        },
      }
    }
    if (form.get('grant_type') !== 'password') {
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' },
      }
    }
    const password = createHash('sha256')
      .update(form.get('password') ?? '')
      .digest('hex')
    if (form.get('username') !== this.#username || !same(password, this.#passwordSha256)) {
      return {
        status: 401,
        body: { error: 'invalid_grant', error_description: 'Invalid user credentials' },
      }
    }
    const token = randomBytes(32).toString('base64url')
    const expiresIn = 60
    this.#tokens.set(token, Date.now() + expiresIn * 1000)
    return {
      status: 200,
      body: {
        access_token: token,
        expires_in: expiresIn,
        refresh_expires_in: 0,
        token_type: 'Bearer',
        'not-before-policy': 0,
        scope: 'profile email',
      },
    }
  }

  allows(authorization: string | undefined): boolean {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1]
    const expires = token === undefined ? undefined : this.#tokens.get(token)
    return expires !== undefined && expires > Date.now()
  }
}

const created = (location: string): AdminResponse => ({ status: 201, headers: { location } })

/** The admin REST API cc-ci uses: realms, their clients and users. */
export function adminApi(
  store: RealmStore,
  request: AdminRequest,
  onRealmDeleted: (realm: string) => void,
): AdminResponse {
  try {
    return route(store, request, onRealmDeleted)
  } catch (error) {
    if (error instanceof AdminError) {
      return { status: error.status, body: error.body }
    }
    throw error
  }
}

function route(
  store: RealmStore,
  { method, segments, query, body, location }: AdminRequest,
  onRealmDeleted: (realm: string) => void,
): AdminResponse {
  const [realm, kind, id, action] = segments
  if (realm === undefined) {
    if (method === 'GET') {
      return { status: 200, body: store.listRealms().map(realmRepresentation) }
    }
    if (method === 'POST') {
      const made = store.createRealm(body)
      return created(`${location}/admin/realms/${made.realm}`)
    }
  } else if (kind === undefined) {
    if (method === 'GET') {
      return { status: 200, body: realmRepresentation(store.realm(realm)) }
    }
    if (method === 'DELETE') {
      store.deleteRealm(realm)
      onRealmDeleted(realm)
      return { status: 204 }
    }
  } else if (kind === 'clients' || kind === 'users') {
    const on: ResourceRequest = { store, realm, method, id, action, query, body, location }
    return kind === 'clients' ? clients(on) : users(on)
  }
  return { status: 404, body: { error: 'HTTP 404 Not Found' } }
}

/** A request on a realm's clients or users: `/admin/realms/<realm>/<kind>[/<id>[/<action>]]`. */
interface ResourceRequest {
  store: RealmStore
  realm: string
  method: string
  id: string | undefined
  action: string | undefined
  query: URLSearchParams
  body: Record<string, unknown>
  location: string
}

function clients(request: ResourceRequest): AdminResponse {
  const { store, realm, method, id, action, query, body, location } = request
  if (id === undefined && method === 'POST') {
    const client = store.createClient(realm, body)
    return created(`${location}/admin/realms/${realm}/clients/${client.id}`)
  }
  if (id === undefined && method === 'GET') {
    const clientId = query.get('clientId')
    const all = [...store.realm(realm).clients.values()]
    return {
      status: 200,
      body: all
        .filter((c) => clientId === null || c.clientId === clientId)
        .map(clientRepresentation),
    }
  }
  if (id !== undefined && action === undefined && method === 'GET') {
    return { status: 200, body: clientRepresentation(store.client(realm, id)) }
  }
  if (id !== undefined && action === undefined && method === 'DELETE') {
    store.client(realm, id)
    store.realm(realm).clients.delete(id)
    return { status: 204 }
  }
  if (id !== undefined && action === 'client-secret' && method === 'GET') {
    return { status: 200, body: { type: 'secret', value: store.client(realm, id).secret } }
  }
  return { status: 404, body: { error: 'HTTP 404 Not Found' } }
}

function users(request: ResourceRequest): AdminResponse {
  const { store, realm, method, id, action, query, body, location } = request
  if (id === undefined && method === 'POST') {
    const user = store.createUser(realm, body)
    return created(`${location}/admin/realms/${realm}/users/${user.id}`)
  }
  if (id === undefined && method === 'GET') {
    const found = store.findUsers(
      realm,
      query.get('username') ?? undefined,
      query.get('exact') === 'true',
    )
    return { status: 200, body: found.map(userRepresentation) }
  }
  if (id !== undefined && action === undefined && method === 'GET') {
    return { status: 200, body: userRepresentation(store.user(realm, id)) }
  }
  if (id !== undefined && action === undefined && method === 'DELETE') {
    store.user(realm, id)
    store.realm(realm).users.delete(id)
    return { status: 204 }
  }
  if (id !== undefined && action === 'reset-password' && method === 'PUT') {
    store.resetPassword(realm, id, body)
    return { status: 204 }
  }
  return { status: 404, body: { error: 'HTTP 404 Not Found' } }
}
