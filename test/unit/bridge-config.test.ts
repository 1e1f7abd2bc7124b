import { expect, test } from 'vitest'
import { loadBridgeConfig } from '../../harness/bridge/bridge-config.ts'
import { isCcciError } from '../../harness/errors.ts'

const env = {
  CCCI_GITEA_URL: 'https://git.example/',
  CCCI_GITEA_TOKEN: 'canary-config-gitea-1f2e',
  CCCI_GITEA_ORG: 'coop-cloud',
  CCCI_DRONE_URL: 'https://drone.example',
  CCCI_DRONE_TOKEN: 'canary-config-drone-3d4c',
  CCCI_DRONE_REPO: 'coop-cloud/cc-ci',
}

test('the defaults: poll every minute, health on loopback, no webhook, the store in CCCI_HOME', () => {
  const config = loadBridgeConfig('/var/lib/cc-ci', env)
  expect(config).toMatchObject({
    giteaUrl: 'https://git.example',
    pollMs: 60_000,
    host: '127.0.0.1',
    port: 8787,
    webhookSecret: undefined,
    dbFile: '/var/lib/cc-ci/bridge/bridge.sqlite',
    droneBranch: 'main',
    statusContext: 'cc-ci',
  })
  const listed = loadBridgeConfig('/h', {
    ...env,
    CCCI_BRIDGE_ALLOWLIST: ' Alice, bob ',
    CCCI_BRIDGE_LISTEN: '0.0.0.0:9000',
  })
  expect([...listed.allowlist]).toEqual(['alice', 'bob'])
  expect(listed).toMatchObject({ host: '0.0.0.0', port: 9000 })
})

test('a wrong or missing variable is named, and no secret value is quoted', () => {
  const error = (() => {
    try {
      loadBridgeConfig('/h', {
        ...env,
        CCCI_DRONE_URL: 'ftp://x',
        CCCI_WEBHOOK_SECRET: 'canary-short',
        CCCI_GITEA_ORG: undefined,
      })
    } catch (e) {
      return e
    }
    return undefined
  })()
  expect(isCcciError(error, 'CCCI_BRIDGE_CONFIG')).toBe(true)
  const text = (error as Error).message
  expect(text).toContain('CCCI_DRONE_URL')
  expect(text).toContain('CCCI_WEBHOOK_SECRET')
  expect(text).toContain('CCCI_GITEA_ORG')
  for (const secret of ['canary-short', env.CCCI_GITEA_TOKEN, env.CCCI_DRONE_TOKEN]) {
    expect(text).not.toContain(secret)
  }
})
