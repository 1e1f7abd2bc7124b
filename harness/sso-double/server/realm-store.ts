import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'

/**
 * The realms of the local SSO stand-in, in memory, in Keycloak's admin representation (the part
 * cc-ci uses). Runs inside the stand-in's container: it imports only Node built-ins.
 */
export interface ClientRecord {
  id: string
  clientId: string
  secret: string
  redirectUris: string[]
  webOrigins: string[]
  publicClient: boolean
  enabled: boolean
  protocol: string
  standardFlowEnabled: boolean
  attributes: Record<string, string>
}

export interface UserRecord {
  id: string
  username: string
  enabled: boolean
  email: string | undefined
  emailVerified: boolean
  firstName: string | undefined
  lastName: string | undefined
  createdTimestamp: number
  password: string | undefined
}

export interface RealmRecord {
  id: string
  realm: string
  enabled: boolean
  displayName: string | undefined
  attributes: Record<string, string>
  clients: Map<string, ClientRecord>
  users: Map<string, UserRecord>
}

/** An admin REST error as Keycloak answers it: a status and `{ errorMessage }` or `{ error }`. */
export class AdminError extends Error {
  readonly status: number
  readonly body: Record<string, string>
  constructor(status: number, body: Record<string, string>) {
    super(body.errorMessage ?? body.error ?? String(status))
    this.status = status
    this.body = body
  }
}

type Json = Record<string, unknown>

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
const bool = (value: unknown, fallback: boolean): boolean =>
  typeof value === 'boolean' ? value : fallback
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
const stringMap = (value: unknown): Record<string, string> =>
  typeof value === 'object' && value !== null
    ? Object.fromEntries(
        Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
      )
    : {}

/** Keycloak's realm names: what its admin console accepts in a URL path segment. */
const REALM_NAME = /^[A-Za-z0-9_.-]{1,255}$/

export class RealmStore {
  readonly #realms = new Map<string, RealmRecord>()

  constructor() {
    this.#realms.set('master', this.#newRealm({ realm: 'master', enabled: true }))
  }

  #newRealm(rep: Json): RealmRecord {
    return {
      id: text(rep.id) ?? randomUUID(),
      realm: text(rep.realm) ?? '',
      enabled: bool(rep.enabled, false),
      displayName: text(rep.displayName),
      attributes: stringMap(rep.attributes),
      clients: new Map(),
      users: new Map(),
    }
  }

  has(realm: string): boolean {
    return this.#realms.has(realm)
  }

  realm(name: string): RealmRecord {
    const realm = this.#realms.get(name)
    if (realm === undefined) {
      throw new AdminError(404, { error: 'Realm not found.' })
    }
    return realm
  }

  /** `POST /admin/realms`: 409 for a name that exists, as Keycloak. */
  createRealm(rep: Json): RealmRecord {
    const name = text(rep.realm)
    if (name === undefined || !REALM_NAME.test(name)) {
      throw new AdminError(400, { errorMessage: 'Realm name is invalid' })
    }
    if (this.#realms.has(name)) {
      throw new AdminError(409, { errorMessage: `Conflict detected. See logs for details` })
    }
    const realm = this.#newRealm(rep)
    this.#realms.set(name, realm)
    return realm
  }

  listRealms(): RealmRecord[] {
    return [...this.#realms.values()]
  }

  /** `DELETE /admin/realms/{realm}`: 404 for an unknown realm; the master realm cannot go. */
  deleteRealm(name: string): void {
    this.realm(name)
    if (name === 'master') {
      throw new AdminError(400, { errorMessage: 'Cannot delete the master realm' })
    }
    this.#realms.delete(name)
  }

  /** `POST /admin/realms/{realm}/clients`: a confidential client gets a secret when none is given. */
  createClient(realmName: string, rep: Json): ClientRecord {
    const realm = this.realm(realmName)
    const clientId = text(rep.clientId)
    if (clientId === undefined || clientId === '') {
      throw new AdminError(400, { errorMessage: 'Client id is required' })
    }
    if ([...realm.clients.values()].some((c) => c.clientId === clientId)) {
      throw new AdminError(409, { errorMessage: `Client ${clientId} already exists` })
    }
    const publicClient = bool(rep.publicClient, false)
    const client: ClientRecord = {
      id: randomUUID(),
      clientId,
      secret: publicClient ? '' : (text(rep.secret) ?? randomBytes(24).toString('base64url')),
      redirectUris: strings(rep.redirectUris),
      webOrigins: strings(rep.webOrigins),
      publicClient,
      enabled: bool(rep.enabled, true),
      protocol: text(rep.protocol) ?? 'openid-connect',
      standardFlowEnabled: bool(rep.standardFlowEnabled, true),
      attributes: stringMap(rep.attributes),
    }
    realm.clients.set(client.id, client)
    return client
  }

  client(realmName: string, id: string): ClientRecord {
    const client = this.realm(realmName).clients.get(id)
    if (client === undefined) {
      throw new AdminError(404, { error: 'Could not find client' })
    }
    return client
  }

  clientByClientId(realmName: string, clientId: string): ClientRecord | undefined {
    return [...this.realm(realmName).clients.values()].find((c) => c.clientId === clientId)
  }

  /** `POST /admin/realms/{realm}/users`: 409 for a username that exists; usernames are lower-cased. */
  createUser(realmName: string, rep: Json): UserRecord {
    const realm = this.realm(realmName)
    const username = text(rep.username)?.toLowerCase()
    if (username === undefined || username === '') {
      throw new AdminError(400, { errorMessage: 'error-user-attribute-required' })
    }
    if ([...realm.users.values()].some((u) => u.username === username)) {
      throw new AdminError(409, { errorMessage: 'User exists with same username' })
    }
    const credentials = Array.isArray(rep.credentials) ? (rep.credentials as Json[]) : []
    const password = credentials.find((c) => c.type === 'password')
    const user: UserRecord = {
      id: randomUUID(),
      username,
      enabled: bool(rep.enabled, false),
      email: text(rep.email),
      emailVerified: bool(rep.emailVerified, false),
      firstName: text(rep.firstName),
      lastName: text(rep.lastName),
      createdTimestamp: Date.now(),
      password: text(password?.value),
    }
    realm.users.set(user.id, user)
    return user
  }

  user(realmName: string, id: string): UserRecord {
    const user = this.realm(realmName).users.get(id)
    if (user === undefined) {
      throw new AdminError(404, { error: 'User not found' })
    }
    return user
  }

  /** `PUT /admin/realms/{realm}/users/{id}/reset-password`. */
  resetPassword(realmName: string, id: string, rep: Json): void {
    const value = text(rep.value)
    if (value === undefined || value === '') {
      throw new AdminError(400, { errorMessage: 'Password is required' })
    }
    this.user(realmName, id).password = value
  }

  findUsers(realmName: string, username: string | undefined, exact: boolean): UserRecord[] {
    const users = [...this.realm(realmName).users.values()]
    if (username === undefined) {
      return users
    }
    const wanted = username.toLowerCase()
    return users.filter((u) => (exact ? u.username === wanted : u.username.includes(wanted)))
  }

  /** The user a login form names, when the password is theirs and the account is enabled. */
  authenticate(realmName: string, username: string, password: string): UserRecord | undefined {
    const wanted = username.toLowerCase()
    const user = [...this.realm(realmName).users.values()].find(
      (u) => u.username === wanted || (u.email !== undefined && u.email.toLowerCase() === wanted),
    )
    return user?.enabled === true && user.password !== undefined && same(user.password, password)
      ? user
      : undefined
  }
}

/** Constant-time comparison of two strings (by their SHA-256). */
export function same(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(a), digest(b))
}

/** The representations the admin REST API returns (no secrets, no passwords). */
export function realmRepresentation(realm: RealmRecord): Json {
  return {
    id: realm.id,
    realm: realm.realm,
    displayName: realm.displayName,
    enabled: realm.enabled,
    attributes: realm.attributes,
  }
}

export function clientRepresentation(client: ClientRecord): Json {
  return {
    id: client.id,
    clientId: client.clientId,
    enabled: client.enabled,
    protocol: client.protocol,
    publicClient: client.publicClient,
    standardFlowEnabled: client.standardFlowEnabled,
    redirectUris: client.redirectUris,
    webOrigins: client.webOrigins,
    attributes: client.attributes,
    ...(client.publicClient ? {} : { secret: '**********' }),
  }
}

export function userRepresentation(user: UserRecord): Json {
  return {
    id: user.id,
    username: user.username,
    enabled: user.enabled,
    email: user.email,
    emailVerified: user.emailVerified,
    firstName: user.firstName,
    lastName: user.lastName,
    createdTimestamp: user.createdTimestamp,
  }
}

/**
 * Keycloak's redirect URI rule: a registered URI ending with `*` allows every URI that starts
 * with what precedes the `*`; any other must match exactly.
 */
export function redirectUriAllowed(registered: readonly string[], uri: string): boolean {
  return registered.some((pattern) =>
    pattern.endsWith('*') ? uri.startsWith(pattern.slice(0, -1)) : uri === pattern,
  )
}
