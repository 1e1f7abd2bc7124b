import { describe, expect, test } from 'vitest'
import { isCcciError } from '../../harness/errors.ts'
import { validateRef, validateSource } from '../../harness/git/index.ts'
import { validateRecipeName } from '../../harness/recipe/recipe-name.ts'
import { runDomain, siblingDomain, stackName } from '../../harness/run/domain.ts'
import { readTrigger } from '../../harness/run/trigger.ts'

function code(fn: () => unknown): string | undefined {
  try {
    fn()
    return undefined
  } catch (error) {
    return isCcciError(error) ? error.code : 'not a CcciError'
  }
}

describe('recipe names, sources and refs are validated before use', () => {
  test.each(['custom-html', 'keycloak', 'n8n', 'a_b'])('recipe %j is accepted', (name) => {
    expect(validateRecipeName(name)).toBe(name)
  })

  test.each(['', '../x', 'x/y', '-rf', 'Keycloak', 'kéy', '.hidden', 'a b', 'x'.repeat(64)])(
    'recipe %j is refused',
    (name) => {
      expect(code(() => validateRecipeName(name))).toBe('CCCI_BAD_RECIPE_NAME')
    },
  )

  test.each([
    'https://git.coopcloud.tech/coop-cloud/keycloak.git',
    'ssh://git@git.coopcloud.tech:2222/coop-cloud/keycloak.git',
    'git@git.coopcloud.tech:coop-cloud/keycloak.git',
    '/tmp/recipes/keycloak',
    './fixtures/keycloak',
  ])('source %j is accepted', (src) => {
    expect(validateSource(src)).toBe(src)
  })

  test.each([
    '--upload-pack=touch /tmp/pwned',
    '-c',
    'ext::sh -c touch% /tmp/pwned',
    'https://x y',
    '',
    'a\0b',
  ])('source %j is refused', (src) => {
    expect(code(() => validateSource(src))).toBe('CCCI_BAD_SOURCE')
  })

  test.each(['main', '1.2.0+3.4.5', 'refs/pull/12/head', 'feature/x', '0123abcd'])(
    'ref %j is accepted',
    (ref) => {
      expect(validateRef(ref)).toBe(ref)
    },
  )

  test.each(['--output=/etc/passwd', '-b', 'a..b', 'x.lock', 'a b', 'x/', ''])(
    'ref %j is refused',
    (ref) => {
      expect(code(() => validateRef(ref))).toBe('CCCI_BAD_REF')
    },
  )

  test('trigger env: a bad PR number is refused with the variable named', () => {
    expect(() => readTrigger({ PR: '12; rm -rf /' })).toThrow(/PR/)
    expect(readTrigger({ SRC: ' /tmp/r ', REF: 'main', PR: '7', QUICK: '1' })).toEqual({
      src: '/tmp/r',
      ref: 'main',
      pr: '7',
      quick: true,
    })
  })
})

describe('per-run domains', () => {
  test('are short, deterministic per recipe|pr|ref, and distinct otherwise', () => {
    const a = runDomain('custom-html', '12', 'main', 'ci.example.net')
    expect(a).toMatch(/^cust-[0-9a-f]{6}\.ci\.example\.net$/)
    expect(runDomain('custom-html', '12', 'main', 'ci.example.net')).toBe(a)
    expect(runDomain('custom-html', '13', 'main', 'ci.example.net')).not.toBe(a)
    expect(stackName(a)).toBe(a.replaceAll('.', '_'))
  })

  test('siblings stay one label deep under the wildcard', () => {
    expect(siblingDomain('keyc-1a2b3c.ccci.localhost', 'auth')).toBe(
      'auth-keyc-1a2b3c.ccci.localhost',
    )
    expect(code(() => siblingDomain('keyc-1a2b3c.ccci.localhost', 'a.b'))).toBe('CCCI_BAD_LABEL')
  })
})
