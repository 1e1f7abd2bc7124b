import type KcAdminClient from '@keycloak/keycloak-admin-client'
import { CcciError } from '../errors.ts'

/**
 * The adapter for Keycloak's admin REST API, through Keycloak's own admin client
 * (`@keycloak/keycloak-admin-client`): the only module that imports it.
 */
export interface KeycloakAdminTarget {
  /** The base URL of the admin API, e.g. `https://sso.example.org` (no `/admin`). */
  adminUrl: string
  username: string
  password: string
}

/** What one run gets in its own realm. */
export interface RunRealmSpec {
  realm: string
  /** Realm attributes, e.g. the owner marks `cc-ci.run` and `cc-ci.home`. */
  attributes: Record<string, string>
  client: {
    clientId: string
    secret: string
    redirectUris: string[]
    webOrigins: string[]
  }
  user: {
    username: string
    password: string
    email: string
    firstName: string
    lastName: string
  }
}

export interface RealmSummary {
  realm: string
  attributes: Record<string, string>
}

/** The status of an admin API error, when the server answered. */
function statusOf(error: unknown): number | undefined {
  const response = (error as { response?: { status?: unknown } } | undefined)?.response
  return typeof response?.status === 'number' ? response.status : undefined
}

function adminError(what: string, target: KeycloakAdminTarget, error: unknown): CcciError {
  const status = statusOf(error)
  const detail = error instanceof Error ? error.message : String(error)
  return new CcciError(
    'CCCI_KEYCLOAK_ADMIN',
    `Keycloak admin API at ${target.adminUrl}: ${what} failed${status === undefined ? '' : ` (HTTP ${status})`}: ${detail}`,
    {
      hint:
        status === 401
          ? 'the admin credentials were refused: check the admin credentials file (docs/dependencies.md)'
          : 'check that Keycloak answers at that URL (docs/dependencies.md); this is an infrastructure failure, not the recipe',
    },
  )
}

async function signedIn(target: KeycloakAdminTarget): Promise<KcAdminClient> {
  // Loaded on first use: every run and worker loads the harness, few runs have a Keycloak.
  const { default: AdminClient } = await import('@keycloak/keycloak-admin-client')
  const client = new AdminClient({ baseUrl: target.adminUrl, realmName: 'master' })
  try {
    await client.auth({
      grantType: 'password',
      clientId: 'admin-cli',
      username: target.username,
      password: target.password,
    })
  } catch (error) {
    throw adminError('signing in as the admin', target, error)
  }
  return client
}

async function step<T>(
  what: string,
  target: KeycloakAdminTarget,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    throw adminError(what, target, error)
  }
}

/** Creates the run's realm (marked with its attributes), its app's client and its test user. */
export async function createRunRealm(
  target: KeycloakAdminTarget,
  spec: RunRealmSpec,
): Promise<void> {
  const admin = await signedIn(target)
  await step(`creating realm ${spec.realm}`, target, () =>
    admin.realms.create({ realm: spec.realm, enabled: true, attributes: spec.attributes }),
  )
  await step(`creating client ${spec.client.clientId} in ${spec.realm}`, target, () =>
    admin.clients.create({
      realm: spec.realm,
      clientId: spec.client.clientId,
      enabled: true,
      protocol: 'openid-connect',
      publicClient: false,
      clientAuthenticatorType: 'client-secret',
      secret: spec.client.secret,
      standardFlowEnabled: true,
      directAccessGrantsEnabled: false,
      redirectUris: spec.client.redirectUris,
      webOrigins: spec.client.webOrigins,
      attributes: { 'post.logout.redirect.uris': spec.client.redirectUris.join('##') },
    }),
  )
  await step(`creating user ${spec.user.username} in ${spec.realm}`, target, () =>
    admin.users.create({
      realm: spec.realm,
      username: spec.user.username,
      enabled: true,
      email: spec.user.email,
      emailVerified: true,
      firstName: spec.user.firstName,
      lastName: spec.user.lastName,
      credentials: [{ type: 'password', value: spec.user.password, temporary: false }],
    }),
  )
}

/** Deletes a realm; false when there was none of that name. */
export async function deleteRealm(target: KeycloakAdminTarget, realm: string): Promise<boolean> {
  const admin = await signedIn(target)
  try {
    await admin.realms.del({ realm })
    return true
  } catch (error) {
    if (statusOf(error) === 404) {
      return false
    }
    throw adminError(`deleting realm ${realm}`, target, error)
  }
}

/** Every realm with its attributes. */
export async function listRealms(target: KeycloakAdminTarget): Promise<RealmSummary[]> {
  const admin = await signedIn(target)
  const realms = await step('listing realms', target, () => admin.realms.find())
  return realms.map((r) => ({
    realm: r.realm ?? '',
    attributes: Object.fromEntries(
      Object.entries(r.attributes ?? {}).map(([k, v]) => [k, String(v)]),
    ),
  }))
}
