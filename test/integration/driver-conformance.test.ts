import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { AbraDriver } from '../../harness/abra/index.ts'
import { loadSettings } from '../../harness/config/settings.ts'
import { listSecrets, stackServices } from '../../harness/docker/index.ts'
import type {
  AppBackupPlan,
  AppDriver,
  AppRef,
  BackupArtifact,
  DeployedState,
  LintResult,
} from '../../harness/driver/app-driver.ts'
import { CcciError, describeError } from '../../harness/errors.ts'
import { commitChange } from '../support/commit-change.ts'
import { checkout } from '../../harness/git/index.ts'
import { createLogger } from '../../harness/log.ts'
import { stackName } from '../../harness/run/domain.ts'
import { ownerLabels, RUN_LABEL } from '../../harness/janitor/owner-labels.ts'
import { acquireLease, releaseLease } from '../../harness/janitor/lease.ts'
import { runLeftovers } from '../../harness/run/teardown-run.ts'
import { parseEnvFile } from '../../harness/coop/env-file.ts'
import { SwarmDriver } from '../../harness/swarm/swarm-driver.ts'
import { parseAbraArgv } from '../fakes/abra/abra-argv.ts'
import { fixtureRepo, REPO_ROOT } from '../support/fixtures.ts'

/**
 * One set of driver tests, run against the swarm driver for real and against the abra driver
 * through the fake abra (test/fakes/abra, first on PATH), which checks every command line against
 * abra's documented flags and performs it with the swarm driver. Both must behave the same.
 */

const RECIPE = 'tiny-html'
const BASE = '1.0.0+1.35.0'
const HEAD_LABEL = '1.1.0+1.35.0'
const settings = loadSettings()
const work = mkdtempSync(join(tmpdir(), 'ccci-conformance-'))
const abraDir = join(work, 'shared-abra')
const calls = join(work, 'abra-calls.jsonl')
const log = createLogger('conformance')
const names = ['swarm', 'abra'] as const
type Name = (typeof names)[number]

interface Subject {
  name: Name
  runId: string
  app: AppRef
  driver: AppDriver
  /** A driver reading the same deployment straight from Docker. */
  direct: SwarmDriver
  head: string
  secretValues: string[]
  cleanup: () => void
}

/** What each driver did, with its own names replaced, for the comparison at the end. */
interface Observed {
  env: string
  generated: string[]
  deployed: Omit<DeployedState, 'images'> & { images: Record<string, string> }
  ps: { service: string; image: string; desired: number; running: number }[]
  upgraded: DeployedState
  plan: AppBackupPlan
  backup: Pick<BackupArtifact, 'files' | 'volumes'>
  lint: LintResult
  removedVolumes: string[]
  removedSecrets: string[]
}

const subjects = new Map<Name, Subject>()
const observed = new Map<Name, Partial<Observed>>()

function subject(name: Name): Subject {
  const found = subjects.get(name)
  if (found === undefined) {
    throw new Error(`no ${name} subject: its setup failed`)
  }
  return found
}

function record<K extends keyof Observed>(name: Name, key: K, value: Observed[K]): void {
  const s = subject(name)
  const text = JSON.stringify(value)
    .replaceAll(s.app.stack, '<stack>')
    .replaceAll(s.app.domain, '<domain>')
    .replaceAll(s.head.slice(0, 8), '<head>')
  observed.set(name, { ...observed.get(name), [key]: JSON.parse(text) as Observed[K] })
}

async function setUp(name: Name): Promise<Subject> {
  const suffix = randomBytes(3).toString('hex')
  const runId = `test-conformance-${name}-${suffix}`
  const domain = `conf-${suffix}.${settings.domainSuffix}`
  const repo = await fixtureRepo(RECIPE)
  // The code under test: one commit on top of the last release.
  const head = await commitChange(repo.path, {
    message: 'the head under test',
    replace: {
      'compose.yml': [['      - SITE_TITLE\n', '      - SITE_TITLE\n      - RELEASE=head\n']],
    },
  })
  const app: AppRef = {
    recipe: RECIPE,
    domain,
    stack: stackName(domain),
    server: settings.server,
    recipeDir: repo.path,
    envFile: join(abraDir, 'servers', settings.server, `${domain}.env`),
  }
  await acquireLease(settings.home, {
    runId,
    recipe: RECIPE,
    domain,
    stack: app.stack,
    runDir: work,
    envFile: app.envFile,
  })
  const secretValues: string[] = []
  const common = {
    ownerLabels: ownerLabels(runId, RECIPE, loadSettings().home),
    log,
    backupDir: join(work, name, 'backups'),
    onSecretValue: (value: string) => secretValues.push(value),
  }
  const direct = new SwarmDriver({ ...common, backupDir: join(work, name, 'direct') })
  const driver =
    name === 'swarm'
      ? new SwarmDriver(common)
      : new AbraDriver({ ...common, workDir: join(work, name, 'abra-dirs') })
  return { name, runId, app, driver, direct, head, secretValues, cleanup: repo.cleanup }
}

/** Runs a shell script in the app service through the driver under test. */
async function sh(s: Subject, script: string): Promise<string> {
  const result = await s.driver.run(s.app, 'app', ['sh', '-c', script], 30_000)
  expect(result.exitCode, `${script}: ${result.stdout}${result.stderr}`).toBe(0)
  return result.stdout
}

beforeAll(async () => {
  vi.stubEnv(
    'PATH',
    [join(REPO_ROOT, 'test', 'fakes', 'abra'), dirname(process.execPath), process.env.PATH].join(
      ':',
    ),
  )
  vi.stubEnv('CCCI_FAKE_ABRA_REQUIRE_TTY', '1')
  vi.stubEnv('CCCI_FAKE_ABRA_LOG', calls)
  for (const name of names) {
    subjects.set(name, await setUp(name))
  }
})

afterAll(async () => {
  const errors: string[] = []
  for (const s of subjects.values()) {
    for (const [what, fn] of [
      ['undeploy', () => s.direct.undeploy(s.app)],
      ['volumes', () => s.direct.removeVolumes(s.app)],
      ['secrets', () => s.direct.removeSecrets(s.app)],
      ['env', () => s.direct.removeEnv(s.app)],
    ] as const) {
      await fn().catch((error: unknown) =>
        errors.push(`${s.name} ${what}: ${describeError(error)}`),
      )
    }
    releaseLease(settings.home, s.runId)
    s.cleanup()
  }
  vi.unstubAllEnvs()
  rmSync(work, { recursive: true, force: true })
  if (errors.length > 0) {
    throw new Error(`cleanup failed:\n${errors.join('\n')}`)
  }
})

describe.each(names)('the %s driver', (name) => {
  test('new app: the env is .env.sample with the domain, the extra env, pinned at the version', async () => {
    const s = subject(name)
    await s.driver.newApp(s.app, { version: BASE, env: { SITE_TITLE: 'Conformance' } })
    const env = parseEnvFile(readFileSync(s.app.envFile, 'utf8')).values
    expect(env).toMatchObject({
      TYPE: `${RECIPE}:${BASE}`,
      DOMAIN: s.app.domain,
      SITE_TITLE: 'Conformance',
      SECRET_TOKEN_VERSION: 'v1',
    })
    record(name, 'env', readFileSync(s.app.envFile, 'utf8'))
    await expect(s.driver.newApp(s.app, { version: BASE })).rejects.toMatchObject({
      code: 'CCCI_APP_EXISTS',
    })
  })

  test('secrets: generated with their length modifier, inserted from a value, all labelled', async () => {
    const s = subject(name)
    const generated = await s.driver.generateSecrets(s.app)
    expect(generated).toEqual([`${s.app.stack}_token_v1`])
    expect(s.secretValues.map((v) => v.length)).toEqual([32])
    record(name, 'generated', generated)
    const inserted = `inserted-${randomBytes(8).toString('hex')}`
    await s.driver.insertSecret(s.app, 'token', 'v2', inserted)
    expect(s.secretValues).toContain(inserted)
    const labelled = await listSecrets({ labels: { [RUN_LABEL]: s.runId } })
    expect(labelled.map((o) => o.name).sort()).toEqual([
      `${s.app.stack}_token_v1`,
      `${s.app.stack}_token_v2`,
    ])
  })

  test('deploy at the base version: version label, not chaos, every service runs', async () => {
    const s = subject(name)
    const result = await s.driver.deploy(s.app, { version: BASE, timeoutMs: 120_000 })
    expect(result).toMatchObject({ deployed: true, version: BASE, chaos: false })
    expect(result.chaosVersion).toBeUndefined()
    const { durationMs, hostAccess, ...deployed } = result
    expect(durationMs).toBeGreaterThan(0)
    expect(hostAccess, 'the fixture asks nothing of the host').toEqual([])
    expect(deployed).toEqual(await s.direct.state(s.app))
    record(name, 'deployed', deployed)
    const ps = (await s.driver.ps(s.app)).map(({ service, image, desired, running }) => ({
      service,
      image,
      desired,
      running,
    }))
    expect(ps).toEqual([{ service: 'app', image: 'ccci-local/busybox:1', desired: 1, running: 1 }])
    record(name, 'ps', ps)
    expect(await sh(s, 'cat /var/www/token-length')).toBe('32')
    expect(await sh(s, 'echo "$SITE_TITLE"')).toBe('Conformance\n')
  })

  test('upgrade in place: a chaos deploy of the head stamps its commit and keeps the data', async () => {
    const s = subject(name)
    await sh(s, 'printf kept > /var/www/.upgrade-marker')
    await checkout(s.app.recipeDir, s.head)
    const { durationMs, hostAccess, ...after } = await s.driver.deploy(s.app, { chaos: true })
    expect(durationMs).toBeGreaterThan(0)
    expect(hostAccess).toEqual([])
    expect(after).toMatchObject({
      deployed: true,
      chaos: true,
      chaosVersion: s.head.slice(0, 8),
      version: HEAD_LABEL,
    })
    expect(after).toEqual(await s.direct.state(s.app))
    record(name, 'upgraded', after)
    expect(await sh(s, 'echo "$RELEASE"')).toBe('head\n')
    expect(await sh(s, 'cat /var/www/.upgrade-marker')).toBe('kept')
  })

  test('data operations: the backup plan of what is deployed, files in a volume', async () => {
    const s = subject(name)
    const plan = await s.driver.backupPlan(s.app)
    expect(plan).toEqual({
      capable: true,
      services: ['app'],
      volumes: [{ key: 'content', volume: `${s.app.stack}_content`, paths: 'all' }],
      warnings: [],
    })
    record(name, 'plan', plan)
    await s.driver.writeVolumeFiles(s.app, 'content', { '.conformance': 'written by the driver' })
    expect(await sh(s, 'cat /var/www/.conformance')).toBe('written by the driver')
    await sh(s, 'printf changed > /var/www/.conformance')
    expect(await s.driver.readVolumeFile(s.app, 'content', '.conformance')).toBe('changed')
    expect(await s.driver.readVolumeFile(s.app, 'content', 'absent')).toBeUndefined()
    await expect(s.driver.readVolumeFile(s.app, 'no-such-volume', 'x')).rejects.toMatchObject({
      code: 'CCCI_VOLUME_NOT_MOUNTED',
    })
    await sh(s, 'rm /var/www/.conformance')
  })

  test('backup and restore: the data comes back, later changes go', async () => {
    const s = subject(name)
    await sh(s, 'printf before > /var/www/round-trip')
    const artifact = await s.driver.backup(s.app)
    expect(artifact.id).toMatch(/\S/)
    expect(artifact.sizeBytes).toBeGreaterThan(0)
    expect(artifact.volumes).toEqual(['content'])
    expect(artifact.files).toContain('content/round-trip')
    expect(existsSync(artifact.location)).toBe(true)
    record(name, 'backup', { files: [...artifact.files].sort(), volumes: artifact.volumes })
    await sh(s, 'printf after > /var/www/round-trip; printf new > /var/www/added')
    await s.driver.restore(s.app, artifact.id)
    expect(await sh(s, 'cat /var/www/round-trip')).toBe('before')
    expect(await sh(s, 'test -e /var/www/added && echo present || echo gone')).toBe('gone\n')
  })

  test('logs and a failing command in a container', async () => {
    const s = subject(name)
    expect(typeof (await s.driver.logs(s.app, 'app', 10))).toBe('string')
    const failed = await s.driver.run(s.app, 'app', ['sh', '-c', 'echo oops; exit 7'])
    expect(failed.exitCode).toBe(7)
    expect(`${failed.stdout}${failed.stderr}`).toContain('oops')
  })

  test('lint: the rules abra checks, all satisfied or skipped for the fixture', async () => {
    const s = subject(name)
    const result = await s.driver.lint(s.app)
    expect(result.ok).toBe(true)
    expect(result.rules.filter((r) => r.skipped).map((r) => r.ref)).toEqual(['R006', 'R013'])
    record(name, 'lint', result)
  })

  test('teardown leaves nothing, and undeploying twice is harmless', async () => {
    const s = subject(name)
    await s.driver.undeploy(s.app)
    expect(await stackServices(s.app.stack)).toEqual([])
    expect(await s.driver.backupPlan(s.app)).toEqual({
      capable: false,
      services: [],
      volumes: [],
      warnings: [],
    })
    const volumes = await s.driver.removeVolumes(s.app)
    expect(volumes).toEqual([`${s.app.stack}_content`])
    record(name, 'removedVolumes', volumes)
    const secrets = (await s.driver.removeSecrets(s.app)).sort()
    expect(secrets).toEqual([`${s.app.stack}_token_v1`, `${s.app.stack}_token_v2`])
    record(name, 'removedSecrets', secrets)
    await s.driver.removeEnv(s.app)
    await s.driver.undeploy(s.app)
    expect(await runLeftovers(s.runId, s.app.stack)).toEqual([])
    expect(existsSync(s.app.envFile)).toBe(false)
  })
})

describe('the two drivers', () => {
  test('observed the same behaviour at every step', () => {
    const swarm = observed.get('swarm')
    const abra = observed.get('abra')
    expect(Object.keys(swarm ?? {}).sort()).toEqual([
      'backup',
      'deployed',
      'env',
      'generated',
      'lint',
      'plan',
      'ps',
      'removedSecrets',
      'removedVolumes',
      'upgraded',
    ])
    expect(abra).toEqual(swarm)
  })

  test('the abra driver ran every command under a terminal, with documented flags, no secret in argv', () => {
    const entries = readFileSync(calls, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { argv: string[]; tty: boolean; abraDir: string })
    expect(new Set(entries.map((e) => parseAbraArgv(e.argv).command))).toEqual(
      new Set([
        'app new',
        'app secret generate',
        'app secret insert',
        'app deploy',
        'app ls',
        'app ps',
        'app run',
        'app logs',
        'app backup snapshots',
        'app backup create',
        'app backup download',
        'app restore',
        'recipe lint',
        'app undeploy',
        'app volume remove',
        'app secret remove',
      ]),
    )
    expect(entries.filter((e) => !e.tty)).toEqual([])
    const abra = subject('abra')
    expect(abra.secretValues).toHaveLength(2)
    for (const entry of entries) {
      for (const value of abra.secretValues) {
        expect(entry.argv.join(' ')).not.toContain(value)
      }
    }
    expect(new Set(entries.map((e) => e.abraDir))).toEqual(
      new Set([join(work, 'abra', 'abra-dirs', abra.app.stack)]),
    )
  })

  test("abra's own words reach the caller when a command fails", async () => {
    const abra = subject('abra')
    const error = await abra.driver.ps(abra.app).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CcciError)
    expect((error as CcciError).message).toBe(
      `\`abra app ps ${abra.app.domain} --machine --no-input\` exited 1: cannot find app with name ${abra.app.domain}`,
    )
  })
})
