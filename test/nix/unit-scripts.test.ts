import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { tryCommand } from '../../harness/process/index.ts'
import { evalOk, force, requireNixInstantiate } from './support/nix-eval.ts'

// The shell the module puts in its units, run for real with bash and git (no systemd, no Docker):
// the checkout unit against a real git repository, the credential wrapper against a credentials
// folder, the env-file helper of the abra units against an env file.

let dir: string

beforeAll(async () => {
  await requireNixInstantiate()
  dir = mkdtempSync(join(tmpdir(), 'ccci-nix-scripts-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await tryCommand('git', args, { timeoutMs: 30_000, cwd })
  expect(result.exitCode, result.stderr).toBe(0)
  return result.stdout.trim()
}

async function bash(script: string, env: Record<string, string>, cwd = dir) {
  return tryCommand('bash', ['-c', script], { timeoutMs: 60_000, cwd, env })
}

/** The environment a unit's script gets, minus what only systemd provides. */
function unitEnv(environment: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).filter((e): e is [string, string] => e[1] !== null),
  )
}

describe('cc-ci-checkout: the pinned checkout', () => {
  let origin: string
  let first: string
  let second: string
  const log = () => join(dir, 'ccci-calls.log')

  beforeAll(async () => {
    origin = join(dir, 'origin')
    mkdirSync(origin)
    await git(origin, 'init', '--quiet', '--initial-branch', 'main')
    await git(origin, 'config', 'user.email', 'test@example.org')
    await git(origin, 'config', 'user.name', 'test')
    // A stand-in for ./ccci that records how it was called.
    const ccci = join(origin, 'ccci')
    writeFileSync(ccci, `#!/bin/sh\necho "$1 $CCCI_HOME $CCCI_DRIVER" >>${log()}\n`)
    chmodSync(ccci, 0o755)
    writeFileSync(join(origin, 'VERSION'), 'one\n')
    await git(origin, 'add', '.')
    await git(origin, 'commit', '--quiet', '-m', 'one')
    first = await git(origin, 'rev-parse', 'HEAD')
    writeFileSync(join(origin, 'VERSION'), 'two\n')
    await git(origin, 'commit', '--quiet', '-am', 'two')
    second = await git(origin, 'rev-parse', 'HEAD')
  })

  async function checkoutUnit(rev: string) {
    const config = await evalOk([
      force('source.url', JSON.stringify(origin)),
      force('source.rev', JSON.stringify(rev)),
      force('checkout', JSON.stringify(join(dir, 'checkout'))),
    ])
    const unit = config.systemd.services['cc-ci-checkout']
    if (unit === undefined) {
      throw new Error('no cc-ci-checkout unit')
    }
    return unit
  }

  test('clones and checks out the pinned commit, not the branch head, then runs ./ccci env', async () => {
    const unit = await checkoutUnit(first)
    const run = await bash(unit.script, unitEnv(unit.environment))
    expect(run.exitCode, run.stderr).toBe(0)
    const checkout = join(dir, 'checkout')
    expect(await git(checkout, 'rev-parse', 'HEAD')).toBe(first)
    expect(readFileSync(join(checkout, 'VERSION'), 'utf8')).toBe('one\n')
    expect(readFileSync(log(), 'utf8')).toBe('env /var/lib/cc-ci abra\n')
  })

  test('running it again changes nothing and undoes a change made by hand', async () => {
    const unit = await checkoutUnit(first)
    const checkout = join(dir, 'checkout')
    writeFileSync(join(checkout, 'VERSION'), 'edited on the host\n')
    const run = await bash(unit.script, unitEnv(unit.environment))
    expect(run.exitCode, run.stderr).toBe(0)
    expect(await git(checkout, 'rev-parse', 'HEAD')).toBe(first)
    expect(readFileSync(join(checkout, 'VERSION'), 'utf8')).toBe('one\n')
  })

  test('a new rev in the configuration is fetched and checked out', async () => {
    writeFileSync(join(origin, 'VERSION'), 'three\n')
    await git(origin, 'commit', '--quiet', '-am', 'three')
    const third = await git(origin, 'rev-parse', 'HEAD')
    for (const rev of [second, third]) {
      const unit = await checkoutUnit(rev)
      const run = await bash(unit.script, unitEnv(unit.environment))
      expect(run.exitCode, run.stderr).toBe(0)
      expect(await git(join(dir, 'checkout'), 'rev-parse', 'HEAD')).toBe(rev)
    }
  })
})

describe('cc-ci-credential-env: credentials become environment variables at run time', () => {
  const CANARY = 'ccci-nix-canary-credential-41d2'
  let wrapper: string
  let credentials: string

  beforeAll(async () => {
    const config = await evalOk()
    wrapper = join(dir, 'cc-ci-credential-env')
    writeFileSync(wrapper, `#!/bin/bash\n${config.helperScripts['cc-ci-credential-env'] ?? ''}`)
    chmodSync(wrapper, 0o755)
    credentials = join(dir, 'credentials')
    mkdirSync(credentials)
    writeFileSync(join(credentials, 'gitea-token'), `${CANARY}\n`, { mode: 0o400 })
  })

  test('VAR=credential -- command: the command sees the value, without the newline', async () => {
    const run = await tryCommand(
      wrapper,
      ['CCCI_GITEA_TOKEN=gitea-token', '--', 'sh', '-c', 'printf %s "$CCCI_GITEA_TOKEN"'],
      { timeoutMs: 10_000, env: { CREDENTIALS_DIRECTORY: credentials } },
    )
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stdout).toBe(CANARY)
  })

  test('a missing credential stops before the command runs, naming it', async () => {
    const run = await tryCommand(
      wrapper,
      ['CCCI_DRONE_TOKEN=drone-token', '--', 'sh', '-c', 'echo started'],
      { timeoutMs: 10_000, env: { CREDENTIALS_DIRECTORY: credentials } },
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('credential drone-token is missing')
  })
})

describe('set_env in the abra units: the values the module writes into an app env file', () => {
  test('sets each key once, keeps commented examples, and a second run gives the same file', async () => {
    const config = await evalOk()
    const script = config.systemd.services['cc-ci-proxy']?.script ?? ''
    // The shell functions the abra units start with (up to the app's own lines).
    const functions = script.slice(0, script.indexOf('domain='))
    expect(functions).toContain('set_env()')
    const env = join(dir, 'traefik.env')
    writeFileSync(
      env,
      [
        'TYPE=traefik',
        'LETS_ENCRYPT_ENV=production',
        '# COMPOSE_FILE="compose.yml:compose.ovh.yml"',
        '#COMPOSE_FILE="compose.yml:compose.keycloak.yml"',
        '',
      ].join('\n'),
    )
    const apply = [
      functions,
      `set_env ${env} LETS_ENCRYPT_ENV ''`,
      `set_env ${env} WILDCARDS_ENABLED 1`,
      `set_env ${env} COMPOSE_FILE compose.yml:compose.wildcard.yml`,
    ].join('\n')
    const once = await bash(apply, {})
    expect(once.exitCode, once.stderr).toBe(0)
    const after = readFileSync(env, 'utf8')
    expect(after.split('\n').filter((l) => l.startsWith('LETS_ENCRYPT_ENV'))).toEqual([
      'LETS_ENCRYPT_ENV=',
    ])
    expect(after).toContain('WILDCARDS_ENABLED=1\n')
    expect(after).toContain('\nCOMPOSE_FILE=compose.yml:compose.wildcard.yml\n')
    expect(after).toContain('# COMPOSE_FILE="compose.yml:compose.ovh.yml"\n')
    expect(after).toContain('TYPE=traefik\n')
    const twice = await bash(apply, {})
    expect(twice.exitCode, twice.stderr).toBe(0)
    expect(readFileSync(env, 'utf8')).toBe(after)
  })
})
