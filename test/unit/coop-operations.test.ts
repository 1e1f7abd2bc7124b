import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { parseEnvFile } from '../../harness/coop/env-file.ts'
import { addNewSampleKeys } from '../../harness/coop/env-upgrade.ts'
import { generateSecretValue, planSecrets } from '../../harness/coop/secrets.ts'
import type { AppRef } from '../../harness/driver/app-driver.ts'
import { buildOverride } from '../../harness/swarm/override.ts'
import type { RenderedStack } from '../../harness/docker/stack-config.ts'
import { thrown } from '../support/env-samples.ts'

const stack = 'tiny-abc123_ccci_localhost'
const top = (entry: { name?: string; external?: boolean }) => ({ labels: {}, ...entry })
const rendered = (
  secrets: Record<string, { name?: string; external?: boolean }>,
): RenderedStack => ({
  services: { app: { image: 'nginx:1', environment: { OWN: 'x' } }, db: { image: 'pg:16' } },
  secrets: Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, top(v)])),
  configs: {},
  volumes: { data: null, shared: top({ external: true, name: 'shared' }) },
  networks: { proxy: top({ external: true, name: 'proxy' }) },
})

describe('secrets as abra names and generates them (planSecrets)', () => {
  const env = parseEnvFile(
    [
      'SECRET_DB_PASSWORD_VERSION=v2 # length=48',
      'SECRET_TOKEN_VERSION=v1 # length=20 charset=special',
    ].join('\n'),
  )
  const templates = {
    db_password: '${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}',
    token: '${STACK_NAME}_token_${SECRET_TOKEN_VERSION:-v1}',
    a: '${STACK_NAME}_a_${SECRET_A_VERSION}',
  }
  test('the version comes from the rendered name; length and charset from the modifiers', () => {
    const plans = planSecrets(
      rendered({
        db_password: { external: true, name: `${stack}_db_password_v2` },
        token: { external: true, name: `${stack}_token_v1` },
        local_file: { name: 'x' },
      }),
      env,
      templates,
    )
    expect(plans).toEqual([
      {
        key: 'db_password',
        name: `${stack}_db_password_v2`,
        version: 'v2',
        envVar: 'SECRET_DB_PASSWORD_VERSION',
        length: 48,
        charset: [],
        generate: true,
      },
      {
        key: 'token',
        name: `${stack}_token_v1`,
        version: 'v1',
        envVar: 'SECRET_TOKEN_VERSION',
        length: 20,
        charset: ['special'],
        generate: true,
      },
    ])
  })
  test('a name without a version, past 64 characters, or a bad length is refused with the fix', () => {
    expect(
      thrown(() =>
        planSecrets(rendered({ a: { external: true, name: 'noversion' } }), env, templates),
      ),
    ).toMatchObject({ code: 'CCCI_SECRET_VERSION' })
    const long = `${stack}_${'x'.repeat(40)}_v1`
    expect(
      thrown(() => planSecrets(rendered({ x: { external: true, name: long } }), env, templates)),
    ).toMatchObject({ code: 'CCCI_SECRET_NAME_LENGTH' })
    const bad = parseEnvFile('SECRET_A_VERSION=v1 # length=0')
    expect(
      thrown(() =>
        planSecrets(rendered({ a: { external: true, name: `${stack}_a_v1` } }), bad, templates),
      ),
    ).toMatchObject({ code: 'CCCI_SECRET_LENGTH' })
  })
  test('generated values: exactly `length` characters from the charset, else a passphrase', () => {
    const plain = generateSecretValue({ length: 32, charset: ['default'] })
    expect(plain).toMatch(/^[A-Za-z0-9]{32}$/)
    const special = Array.from({ length: 20 }, () =>
      generateSecretValue({ length: 64, charset: ['special'] }),
    ).join('')
    expect(special).toMatch(/[^A-Za-z0-9]/)
    expect(generateSecretValue({ length: undefined, charset: [] })).toMatch(
      /^([a-z]{8}-){4}[a-z]{8}$/,
    )
    expect(generateSecretValue({ length: 32, charset: [] })).not.toBe(
      generateSecretValue({ length: 32, charset: [] }),
    )
  })
})

describe('an upgrade brings new settings (addNewSampleKeys)', () => {
  let dir: string
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  test('keys the new .env.sample adds are appended as the sample writes them; existing values stay', () => {
    dir = mkdtempSync(join(tmpdir(), 'ccci-env-'))
    writeFileSync(
      join(dir, '.env.sample'),
      'TYPE=x\nDOMAIN=x.example\nNEW_FLAG=on\nSECRET_NEW_VERSION=v1 # length=12\n',
    )
    writeFileSync(join(dir, 'app.env'), 'TYPE=x\nDOMAIN=mine.example\n')
    const app = { recipeDir: dir, envFile: join(dir, 'app.env') } as AppRef
    expect(addNewSampleKeys(app)).toEqual(['NEW_FLAG', 'SECRET_NEW_VERSION'])
    const env = readFileSync(join(dir, 'app.env'), 'utf8')
    expect(env).toContain('DOMAIN=mine.example')
    expect(env).toContain('SECRET_NEW_VERSION=v1 # length=12')
    expect(addNewSampleKeys(app), 'a second call adds nothing').toEqual([])
  })
})

describe('the override file cc-ci adds to a deploy (buildOverride)', () => {
  const app = { recipe: 'tiny-html', domain: 'tiny-abc123.ccci.localhost', stack } as AppRef
  const override = parse(
    buildOverride({
      app,
      rendered: rendered({ token: { external: true, name: `${stack}_token_v1` } }),
      ownerLabels: { 'cc-ci.run': 'run-1' },
      abra: { version: '1.0.0+1', chaos: true, chaosVersion: 'abcdef12' },
      appEnv: { OWN: 'y', DOMAIN: 'tiny.example', PRICE: '$5' },
    }),
  ) as Record<string, Record<string, Record<string, unknown>>>
  test('owner labels on every service, abra labels on app only', () => {
    expect(override.services?.db).toEqual({ deploy: { labels: { 'cc-ci.run': 'run-1' } } })
    expect(override.services?.app?.deploy).toEqual({
      labels: {
        'cc-ci.run': 'run-1',
        [`coop-cloud.${stack}.recipe`]: 'tiny-html',
        [`coop-cloud.${stack}.chaos`]: 'true',
        [`coop-cloud.${stack}.chaos-version`]: 'abcdef12',
        [`coop-cloud.${stack}.version`]: '1.0.0+1',
      },
    })
  })
  test('app gets the env vars it does not set itself, with $ escaped for compose', () => {
    expect(override.services?.app?.environment).toEqual({ DOMAIN: 'tiny.example', PRICE: '$$5' })
  })
  test('what the stack creates is labelled; external objects are left alone', () => {
    expect(override.volumes).toEqual({ data: { labels: { 'cc-ci.run': 'run-1' } } })
    expect(Object.keys(override.networks ?? {})).toEqual(['default'])
    expect(override.secrets).toEqual({})
  })
})
