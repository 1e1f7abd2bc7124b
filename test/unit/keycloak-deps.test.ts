import { describe, expect, test } from 'vitest'
import { loadSettings } from '../../harness/config/settings.ts'
import { deadRealms } from '../../harness/deps/dead-realms.ts'
import { realmName, runRealmSpec, TEST_USERNAME } from '../../harness/deps/keycloak-provider.ts'
import { keycloakTarget } from '../../harness/deps/keycloak-target.ts'
import { homeId } from '../../harness/janitor/owner-labels.ts'
import { RecipeConfigSchema } from '../../harness/recipe/recipe-config.ts'
import { runWarnings } from '../../harness/results/run-warnings.ts'

const home = '/var/lib/cc-ci'
const settings = loadSettings({ CCCI_HOME: home })

describe('deadRealms: which realms the janitor removes', () => {
  const mine = homeId(home)
  const realm = (name: string, attributes: Record<string, string>) => ({ realm: name, attributes })

  test('a realm of a run without a live lease goes; a live run’s, a warm one, another home’s and the operator’s stay', () => {
    const realms = [
      realm('dead-run', { 'cc-ci.run': 'dead-run', 'cc-ci.home': mine }),
      realm('live-run', { 'cc-ci.run': 'live-run', 'cc-ci.home': mine }),
      realm('warm', { 'cc-ci.run': 'warm', 'cc-ci.home': mine, 'cc-ci.warm': 'true' }),
      realm('elsewhere', { 'cc-ci.run': 'elsewhere', 'cc-ci.home': homeId('/other') }),
      realm('master', {}),
      realm('operators-realm', { theme: 'x' }),
    ]
    expect(deadRealms(realms, new Set(['live-run']), mine)).toEqual(['dead-run'])
  })
})

describe('runRealmSpec: what a run gets in its realm', () => {
  const config = RecipeConfigSchema.parse({
    deps: ['keycloak'],
    keycloak: { redirectPaths: ['/callback', '/oauth/*'] },
  })
  const spec = runRealmSpec(
    {
      runId: 'sso-app-m3x9k2-ab12',
      recipe: 'sso-app',
      domain: 'ssox-1a2b3c.ccci.localhost',
      url: 'https://ssox-1a2b3c.ccci.localhost:8443/',
      home,
      config,
    },
    { clientSecret: 'client-secret-canary', password: 'password-canary' },
  )

  test('the realm is named after the run and marked with its owner attributes', () => {
    expect(spec.realm).toBe(realmName('sso-app-m3x9k2-ab12'))
    expect(spec.realm).toBe('sso-app-m3x9k2-ab12')
    expect(spec.attributes).toEqual({
      'cc-ci.run': 'sso-app-m3x9k2-ab12',
      'cc-ci.recipe': 'sso-app',
      'cc-ci.home': homeId(home),
    })
  })

  test('the client redirects only to the run’s domain, on the proxy’s port', () => {
    expect(spec.client).toMatchObject({
      clientId: 'sso-app',
      secret: 'client-secret-canary',
      redirectUris: [
        'https://ssox-1a2b3c.ccci.localhost:8443/callback',
        'https://ssox-1a2b3c.ccci.localhost:8443/oauth/*',
      ],
      webOrigins: ['https://ssox-1a2b3c.ccci.localhost:8443'],
    })
  })

  test('the test user has the generated password and a complete profile (no required action at login)', () => {
    expect(spec.user).toEqual({
      username: TEST_USERNAME,
      password: 'password-canary',
      email: `${TEST_USERNAME}@ssox-1a2b3c.ccci.localhost`,
      firstName: 'cc-ci',
      lastName: 'Tester',
    })
  })
})

describe('keycloakTarget: which Keycloak a run uses', () => {
  test('without CCCI_KEYCLOAK_URL and with the local proxy: the stand-in', () => {
    expect(keycloakTarget(settings, {})).toEqual({
      issuerBase: 'https://sso.ccci.localhost',
      adminUrl: 'http://127.0.0.1:8180',
      internalUrl: 'http://tasks.ccci-sso:8080',
      credentialsFile: `${home}/host/sso-admin.json`,
      standIn: true,
    })
  })

  test('CCCI_KEYCLOAK_URL: the production Keycloak, every URL defaulting to it', () => {
    expect(
      keycloakTarget(settings, {
        CCCI_KEYCLOAK_URL: 'https://sso.example.org/',
        CCCI_KEYCLOAK_ADMIN_FILE: '/etc/cc-ci/keycloak-admin.json',
      }),
    ).toEqual({
      issuerBase: 'https://sso.example.org',
      adminUrl: 'https://sso.example.org',
      internalUrl: 'https://sso.example.org',
      credentialsFile: '/etc/cc-ci/keycloak-admin.json',
      standIn: false,
    })
  })

  test('an external proxy without CCCI_KEYCLOAK_URL: an infrastructure failure naming what to set', () => {
    const external = loadSettings({ CCCI_HOME: home, CCCI_PROXY: 'external' })
    expect(() => keycloakTarget(external, {})).toThrow(/CCCI_KEYCLOAK_URL is unset/)
  })

  test('a URL that is not http(s) is refused', () => {
    expect(() => keycloakTarget(settings, { CCCI_KEYCLOAK_URL: 'ftp://x' })).toThrow(
      /CCCI_KEYCLOAK_URL/,
    )
  })
})

describe('recipe.ts keycloak defaults and the run warnings', () => {
  test('the env keys and the secret default to OIDC_ISSUER, OIDC_CLIENT_ID and oidc_secret', () => {
    expect(RecipeConfigSchema.parse({ deps: ['keycloak'] }).keycloak).toEqual({
      issuerEnv: 'OIDC_ISSUER',
      clientIdEnv: 'OIDC_CLIENT_ID',
      clientSecret: 'oidc_secret',
      redirectPaths: ['/*'],
    })
  })

  test('a provider started cold is said in the result’s warnings', () => {
    expect(runWarnings({ 'deps.warnings': ['keycloak: started cold'] })).toEqual([
      'keycloak: started cold',
    ])
  })
})
