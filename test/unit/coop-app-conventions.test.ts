import { describe, expect, test } from 'vitest'
import { deployChoice } from '../../harness/coop/deploy-choice.ts'
import { parseEnvFile, setEnvValues } from '../../harness/coop/env-file.ts'
import { secretName, secretVersionVar } from '../../harness/coop/secrets.ts'

const env = (type?: string): { values: Record<string, string> } => ({
  values: type === undefined ? {} : { TYPE: type },
})

describe('deployChoice', () => {
  test('an explicit version wins over the one pinned in the env', () => {
    expect(deployChoice({ version: '2.0.0+1' }, env('app:1.0.0+1'))).toEqual({
      chaos: false,
      version: '2.0.0+1',
      pinned: '1.0.0+1',
    })
  })

  test('without a version, the pinned one is deployed', () => {
    expect(deployChoice({}, env('app:1.0.0+1'))).toEqual({
      chaos: false,
      version: '1.0.0+1',
      pinned: '1.0.0+1',
    })
  })

  test('neither asked for nor pinned: the working tree (chaos)', () => {
    expect(deployChoice({}, env('app'))).toEqual({
      chaos: true,
      version: undefined,
      pinned: undefined,
    })
    expect(deployChoice({}, env())).toMatchObject({ chaos: true, version: undefined })
  })

  test('chaos deploys the tree even with a version', () => {
    expect(deployChoice({ chaos: true, version: '2.0.0+1' }, env('app:1.0.0+1'))).toEqual({
      chaos: true,
      version: undefined,
      pinned: '1.0.0+1',
    })
  })
})

describe('setEnvValues', () => {
  test('sets each entry in order, replacing existing keys and adding new ones', () => {
    const text = setEnvValues('TYPE=app\nDOMAIN=app.example.com\n', {
      DOMAIN: 'a.ccci.localhost',
      TYPE: 'app:1.0.0',
      EXTRA: 'two words',
    })
    expect(parseEnvFile(text).values).toEqual({
      TYPE: 'app:1.0.0',
      DOMAIN: 'a.ccci.localhost',
      EXTRA: 'two words',
    })
  })

  test('no entries leave the text as it is', () => {
    expect(setEnvValues('A=1\n', {})).toBe('A=1\n')
  })
})

describe('secret naming', () => {
  test('the Docker name is <stack>_<key>_<version>', () => {
    expect(secretName('app_ccci_localhost', 'db_password', 'v2')).toBe(
      'app_ccci_localhost_db_password_v2',
    )
  })

  test('the version lives in SECRET_<KEY>_VERSION', () => {
    expect(secretVersionVar('db_password')).toBe('SECRET_DB_PASSWORD_VERSION')
  })
})
