import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadSettings } from '../../harness/config/settings.ts'
import {
  BUSYBOX_IMAGE,
  HELPER_LABEL,
  listContainers,
  stackServices,
} from '../../harness/docker/index.ts'
import type { AppRef } from '../../harness/driver/app-driver.ts'
import { describeError } from '../../harness/errors.ts'
import { createLogger } from '../../harness/log.ts'
import { runCommand } from '../../harness/process/index.ts'
import { stackName } from '../../harness/run/domain.ts'
import { ownerLabels } from '../../harness/janitor/owner-labels.ts'
import { acquireLease, releaseLease } from '../../harness/janitor/lease.ts'
import {
  createBackup,
  listBackups,
  restoreBackup,
  type BackupOptions,
} from '../../harness/swarm/backup.ts'
import { isBackupCapable } from '../../harness/coop/backupbot-labels.ts'
import { waitForConvergence } from '../../harness/swarm/converge.ts'
import { SwarmDriver } from '../../harness/swarm/swarm-driver.ts'
import { failure } from '../support/failure.ts'
import { fixtureRepo } from '../support/fixtures.ts'
import { readTarGz } from '../support/read-tar-gz.ts'

const RECIPE = 'backup-hooks'
const settings = loadSettings()
const suffix = randomBytes(3).toString('hex')
const runId = `test-swarm-backup-${suffix}`
const labels = ownerLabels(runId, RECIPE, settings.home)
const log = createLogger('swarm-backup-test')
const work = mkdtempSync(join(tmpdir(), 'ccci-swarm-backup-'))
const driver = new SwarmDriver({ ownerLabels: labels, log, backupDir: join(work, 'backups') })
const options: BackupOptions = {
  backupDir: join(work, 'backups'),
  ownerLabels: labels,
  log,
  timeouts: { hookMs: 30_000, copyMs: 60_000 },
}

function appRef(domain: string, recipeDir: string): AppRef {
  return {
    recipe: RECIPE,
    domain,
    stack: stackName(domain),
    server: settings.server,
    recipeDir,
    envFile: join(work, 'servers', settings.server, `${domain}.env`),
  }
}

const domain = `bkup-${suffix}.${settings.domainSuffix}`
let app = appRef(domain, join(work, 'unset'))
/** A stack without any backupbot label, deployed straight with `docker stack deploy`. */
const plain = appRef(`bkpl-${suffix}.${settings.domainSuffix}`, work)
/** A stack whose labels select one path of an empty volume. */
const empty = appRef(`bkem-${suffix}.${settings.domainSuffix}`, work)
const EMPTY_LABELS = {
  'backupbot.backup': 'true',
  'backupbot.backup.volumes.content.path': 'missing.txt',
}
let cleanupRepo = (): void => undefined

/** Runs a shell script in a service of the fixture app; fails the test on a non-zero exit. */
async function sh(service: string, script: string): Promise<string> {
  const result = await driver.run(app, service, ['sh', '-c', script], 30_000)
  expect(result.stderr).toBe('')
  expect(result.exitCode).toBe(0)
  return result.stdout
}

/**
 * Every entry of the data volume (dotfiles included) with owner, mode and type; regular files also
 * with their mtime and sha256.
 */
const DATA_FINGERPRINT = [
  'cd /data && find . | sort | while read -r f; do',
  '  if [ -f "$f" ] && [ ! -L "$f" ]; then stat -c "%n %u:%g %a %Y" "$f"; sha256sum "$f"',
  '  else stat -c "%n %u:%g %a %F" "$f"; fi',
  'done',
].join('\n')

/** Helper containers of the backup module still present for our stacks. */
async function helpers(): Promise<string[]> {
  const found = await Promise.all(
    [app.stack, plain.stack, empty.stack].map((stack) =>
      listContainers({ labels: { [HELPER_LABEL]: true, 'cc-ci.stack': stack } }),
    ),
  )
  return found.flat().map((c) => c.name)
}

/** Deploys a one-service stack with a `content` volume straight with `docker stack deploy`. */
async function deployRawStack(ref: AppRef, deployLabels: Record<string, string>): Promise<void> {
  const compose = join(work, `${ref.stack}.yml`)
  writeFileSync(
    compose,
    [
      "version: '3.8'",
      'services:',
      '  app:',
      `    image: ${BUSYBOX_IMAGE}`,
      `    command: ['/bin/sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']`,
      '    volumes:',
      "      - 'content:/var/www'",
      '    deploy:',
      `      labels: ${JSON.stringify({ ...labels, ...deployLabels })}`,
      'volumes:',
      `  content: { labels: ${JSON.stringify(labels)} }`,
      '',
    ].join('\n'),
  )
  await runCommand(
    'docker',
    ['stack', 'deploy', '--resolve-image', 'never', '-c', compose, ref.stack],
    { timeoutMs: 120_000 },
  )
}

beforeAll(async () => {
  await acquireLease(settings.home, {
    runId,
    recipe: RECIPE,
    domain,
    stack: stackName(domain),
    runDir: work,
    envFile: app.envFile,
  })
  const repo = await fixtureRepo(RECIPE)
  cleanupRepo = repo.cleanup
  app = appRef(domain, repo.path)
  await driver.newApp(app, { version: '1.0.0+1.35.0' })
  await driver.generateSecrets(app)
  await driver.deploy(app, { timeoutMs: 120_000 })
  await deployRawStack(plain, {})
  await deployRawStack(empty, EMPTY_LABELS)
  await waitForConvergence(empty.stack, { timeoutMs: 60_000 })
})

afterAll(async () => {
  const errors: string[] = []
  const step = async (what: string, fn: () => unknown): Promise<void> => {
    try {
      await fn()
    } catch (error) {
      errors.push(`${what}: ${describeError(error)}`)
    }
  }
  for (const ref of [app, plain, empty]) {
    await step(`undeploy ${ref.stack}`, () => driver.undeploy(ref))
    await step(`volumes of ${ref.stack}`, () => driver.removeVolumes(ref))
    await step(`secrets of ${ref.stack}`, () => driver.removeSecrets(ref))
    await step(`env of ${ref.stack}`, () => driver.removeEnv(ref))
  }
  await step('fixture repo', () => cleanupRepo())
  await step('work dir', () => rmSync(work, { recursive: true, force: true }))
  await step('lease', () => releaseLease(settings.home, runId))
  if (errors.length > 0) {
    throw new Error(`cleanup failed:\n${errors.join('\n')}`)
  }
})

describe('swarm backup and restore', () => {
  test('backup capability follows the deployed labels', async () => {
    expect(isBackupCapable(await stackServices(app.stack))).toBe(true)
    const plainServices = await stackServices(plain.stack)
    expect(plainServices.map((s) => s.name)).toEqual([`${plain.stack}_app`])
    expect(isBackupCapable(plainServices)).toBe(false)
    const error = await failure(createBackup(plain, options))
    expect(error.code).toBe('CCCI_BACKUP_NOT_CAPABLE')
    expect(await helpers()).toEqual([])
  })

  test('restore brings back the backed-up data byte for byte and drops later changes', async () => {
    await sh(
      'app',
      [
        'set -e',
        'mkdir -p /data/sub',
        "printf 'marker-v1' > /data/marker.txt",
        "printf 'notes with spaces\\n' > '/data/my notes.txt'",
        "printf 'dot' > /data/.hidden",
        'head -c 65536 /dev/urandom > /data/sub/blob.bin',
        "chown 65534:65534 '/data/my notes.txt' && chmod 600 /data/.hidden",
        'ln -s marker.txt /data/link',
        ': > /cache/hooks.log',
      ].join('\n'),
    )
    await sh('db', "printf 'row-1' > /var/lib/db/live.db && rm -f /var/lib/db/backup.sql")
    const before = await sh('app', DATA_FINGERPRINT)
    expect(before).toContain('./my notes.txt 65534:65534 644')
    expect(before).toContain('./.hidden 0:0 600')
    expect(before).toContain('./link 0:0 777 symbolic link')

    const artifact = await createBackup(app, options)
    expect(artifact.id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{4}$/)
    expect(artifact.volumes).toEqual(['data', 'db-data'])
    expect(artifact.files).toEqual([
      'data/.hidden',
      'data/link',
      'data/marker.txt',
      'data/my notes.txt',
      'data/sub/blob.bin',
      'db-data/backup.sql',
    ])
    expect(artifact.location).toBe(join(options.backupDir, `${artifact.id}.tar.gz`))
    expect(existsSync(join(options.backupDir, `${artifact.id}.json`))).toBe(true)
    expect(listBackups(options.backupDir)).toEqual([artifact])
    expect(await sh('app', 'cat /cache/hooks.log')).toBe('backup-pre\nbackup-post\n')
    expect(await helpers()).toEqual([])

    const { contents } = await readTarGz(
      artifact.location,
      (name) => name === 'stage/data/sub/blob.bin',
    )
    const archived = createHash('sha256')
      .update(contents.get('stage/data/sub/blob.bin') ?? '')
      .digest('hex')
    expect(await sh('app', 'sha256sum /data/sub/blob.bin')).toContain(archived)

    await sh(
      'app',
      [
        'set -e',
        "printf 'marker-v2' > /data/marker.txt",
        'echo added > /data/added.txt',
        'echo added > /data/.added',
        'mkdir /data/newdir && echo x > /data/newdir/x',
        "rm '/data/my notes.txt'",
        'head -c 100 /dev/urandom > /data/sub/blob.bin',
        'chmod 644 /data/.hidden && rm /data/link',
      ].join('\n'),
    )
    await sh(
      'db',
      "printf 'row-2' > /var/lib/db/live.db && printf 'keep' > /var/lib/db/unrelated.txt && printf 'junk' > /var/lib/db/backup.sql",
    )
    expect(await sh('app', DATA_FINGERPRINT)).not.toBe(before)

    await restoreBackup(app, artifact.id, options)
    expect(await sh('app', DATA_FINGERPRINT)).toBe(before)
    expect(await sh('app', 'cat /data/marker.txt')).toBe('marker-v1')
    expect(await sh('db', 'cat /var/lib/db/live.db')).toBe('row-1')
    expect(await sh('db', 'cat /var/lib/db/backup.sql')).toBe('row-1')
    expect(await sh('db', 'cat /var/lib/db/unrelated.txt')).toBe('keep')
    expect(await sh('app', 'cat /cache/hooks.log')).toBe(
      'backup-pre\nbackup-post\nrestore-pre\nrestore-post\n',
    )
    expect(await helpers()).toEqual([])
  })

  test('a failing pre-hook is CCCI_BACKUP_HOOK naming the service, and leaves no artifact', async () => {
    const existing = listBackups(options.backupDir).map((a) => a.id)
    await sh('db', 'touch /var/lib/db/FAIL_BACKUP')
    try {
      const error = await failure(createBackup(app, options))
      expect(error.code).toBe('CCCI_BACKUP_HOOK')
      expect(error.message).toContain('service db')
      expect(error.message).toContain('exit code 3')
      expect(error.message).toContain('/db_backup.sh backup')
      expect(error.evidence.map((e) => e.text).join('\n')).toContain('refusing to dump')
      expect(error.hint).toBeDefined()
    } finally {
      await sh('db', 'rm -f /var/lib/db/FAIL_BACKUP')
    }
    expect(listBackups(options.backupDir).map((a) => a.id)).toEqual(existing)
    expect(readdirSync(options.backupDir).length).toBe(existing.length * 2)
    expect(await helpers()).toEqual([])
  })

  test('a backup that selects no existing file is CCCI_BACKUP_EMPTY saying what was selected', async () => {
    const existing = listBackups(options.backupDir).map((a) => a.id)
    const error = await failure(createBackup(empty, options))
    expect(error.code).toBe('CCCI_BACKUP_EMPTY')
    const evidence = error.evidence.map((e) => e.text).join('\n')
    expect(evidence).toContain(`content (${empty.stack}_content): missing.txt`)
    expect(evidence).toContain('content/missing.txt')
    expect(listBackups(options.backupDir).map((a) => a.id)).toEqual(existing)
    expect(readdirSync(options.backupDir).length).toBe(existing.length * 2)
    expect(await helpers()).toEqual([])
  })

  test('restoring an unknown id is CCCI_BACKUP_NOT_FOUND listing the ids that exist', async () => {
    const [known] = listBackups(options.backupDir)
    expect(known).toBeDefined()
    const error = await failure(restoreBackup(app, '20000101T000000Z-0000', options))
    expect(error.code).toBe('CCCI_BACKUP_NOT_FOUND')
    expect(error.evidence.map((e) => e.text).join('\n')).toContain(known?.id)
    expect((await failure(restoreBackup(app, '../../etc/passwd', options))).code).toBe(
      'CCCI_BACKUP_NOT_FOUND',
    )
  })

  test('no helper container is left behind', async () => {
    expect(await helpers()).toEqual([])
    const named = await listContainers({ name: `ccci-backup-${app.stack}` })
    expect(named.concat(await listContainers({ name: `ccci-restore-${app.stack}` }))).toEqual([])
  })
})
