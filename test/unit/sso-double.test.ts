import { describe, expect, test } from 'vitest'
import {
  AdminAuth,
  adminApi,
  type AdminRequest,
} from '../../harness/sso-double/server/admin-api.ts'
import { loginPage } from '../../harness/sso-double/server/login-page.ts'
import { redirectUriAllowed, RealmStore } from '../../harness/sso-double/server/realm-store.ts'
import { createHash } from 'node:crypto'

const request = (
  method: string,
  path: string,
  body: Record<string, unknown> = {},
): AdminRequest => ({
  method,
  segments: (path.split('?')[0] ?? '').split('/').filter(Boolean),
  query: new URLSearchParams(path.includes('?') ? path.slice(path.indexOf('?')) : ''),
  body,
  location: 'https://sso.example.org',
})

describe('the stand-in’s admin API, as Keycloak answers', () => {
  test('realms: created (201 + Location), listed with attributes, 409 on a duplicate, 404 once deleted', () => {
    const store = new RealmStore()
    const deleted: string[] = []
    const api = (r: AdminRequest) => adminApi(store, r, (realm) => deleted.push(realm))
    expect(
      api(request('POST', '/', { realm: 'r1', enabled: true, attributes: { 'cc-ci.run': 'r1' } })),
    ).toEqual({
      status: 201,
      headers: { location: 'https://sso.example.org/admin/realms/r1' },
    })
    expect(api(request('POST', '/', { realm: 'r1' })).status).toBe(409)
    const listed = api(request('GET', '/')).body as { realm: string; attributes: object }[]
    expect(listed.map((r) => r.realm)).toEqual(['master', 'r1'])
    expect(listed[1]?.attributes).toEqual({ 'cc-ci.run': 'r1' })
    expect(api(request('DELETE', '/r1')).status).toBe(204)
    expect(deleted).toEqual(['r1'])
    expect(api(request('DELETE', '/r1'))).toEqual({
      status: 404,
      body: { error: 'Realm not found.' },
    })
    expect(api(request('DELETE', '/master')).status).toBe(400)
  })

  test('clients and users: Location ids, the client secret endpoint, no password in any answer', () => {
    const store = new RealmStore()
    store.createRealm({ realm: 'r', enabled: true })
    const client = adminApi(
      store,
      request('POST', '/r/clients', { clientId: 'app', secret: 'canary-secret-1' }),
      () => {},
    )
    const id = client.headers?.location?.split('/').at(-1) ?? ''
    expect(
      adminApi(store, request('GET', `/r/clients/${id}/client-secret`), () => {}).body,
    ).toEqual({
      type: 'secret',
      value: 'canary-secret-1',
    })
    expect(
      JSON.stringify(adminApi(store, request('GET', `/r/clients/${id}`), () => {}).body),
    ).not.toContain('canary-secret-1')
    const user = adminApi(
      store,
      request('POST', '/r/users', {
        username: 'Tester',
        enabled: true,
        credentials: [{ type: 'password', value: 'canary-password-1' }],
      }),
      () => {},
    )
    expect(user.status).toBe(201)
    expect(
      adminApi(store, request('POST', '/r/users', { username: 'tester' }), () => {}).status,
    ).toBe(409)
    const found = adminApi(store, request('GET', '/r/users?username=tester&exact=true'), () => {})
    expect(JSON.stringify(found.body)).toContain('"username":"tester"')
    expect(JSON.stringify(found.body)).not.toContain('canary-password-1')
    expect(store.authenticate('r', 'TESTER', 'canary-password-1')?.username).toBe('tester')
    expect(store.authenticate('r', 'tester', 'wrong')).toBeUndefined()
  })

  test('a disabled user cannot sign in', () => {
    const store = new RealmStore()
    store.createRealm({ realm: 'r', enabled: true })
    store.createUser('r', {
      username: 'u',
      enabled: false,
      credentials: [{ type: 'password', value: 'p' }],
    })
    expect(store.authenticate('r', 'u', 'p')).toBeUndefined()
  })

  test('the admin-cli password grant: a bearer token for the right password, invalid_grant otherwise', () => {
    const auth = new AdminAuth('admin', createHash('sha256').update('pw').digest('hex'))
    const form = (password: string, clientId = 'admin-cli') =>
      new URLSearchParams({
        grant_type: 'password',
        client_id: clientId,
        username: 'admin',
        password,
      })
    const granted = auth.token(form('pw'))
    expect(granted.status).toBe(200)
    const token = (granted.body as { access_token: string }).access_token
    expect(auth.allows(`Bearer ${token}`)).toBe(true)
    expect(auth.allows('Bearer other')).toBe(false)
    expect(auth.token(form('wrong'))).toMatchObject({
      status: 401,
      body: { error: 'invalid_grant' },
    })
    expect(auth.token(form('pw', 'other'))).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    })
  })
})

describe('Keycloak’s redirect URI rule and login form', () => {
  test('a trailing * is a prefix wildcard; anything else matches exactly', () => {
    const registered = ['https://app.example.org/callback', 'https://app.example.org/oauth/*']
    expect(redirectUriAllowed(registered, 'https://app.example.org/callback')).toBe(true)
    expect(redirectUriAllowed(registered, 'https://app.example.org/callback/x')).toBe(false)
    expect(redirectUriAllowed(registered, 'https://app.example.org/oauth/done?x=1')).toBe(true)
    expect(redirectUriAllowed(registered, 'https://evil.example.org/oauth/')).toBe(false)
  })

  test('the login page has Keycloak’s form ids and escapes what it shows', () => {
    const page = loginPage(
      '<realm>',
      '/realms/r/login-actions/authenticate?uid=a&b',
      'Invalid username or password.',
    )
    for (const id of ['kc-form-login', 'username', 'password', 'kc-login', 'input-error']) {
      expect(page).toContain(`id="${id}"`)
    }
    expect(page).toContain('&lt;realm&gt;')
    expect(page).toContain('uid=a&amp;b')
  })
})
