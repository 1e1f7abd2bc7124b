import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, expect, test } from 'vitest'
import { loadSettings } from '../../harness/config/settings.ts'
import {
  BUSYBOX_IMAGE,
  HELPER_LABEL,
  HELPER_STACK_LABEL,
  STACK_NAMESPACE_LABEL,
  createVolume,
  dockerEvents,
  execInContainer,
  readVolumeFile,
  removeObject,
  startHelper,
  writeVolumeFiles,
  type HelperContainer,
} from '../../harness/docker/index.ts'
import { ownerLabels } from '../../harness/janitor/owner-labels.ts'
import { createLogger } from '../../harness/log.ts'

/**
 * Data-marker files reach a volume through a running container of the app that mounts it
 * (Docker's archive API, no container started) and through a helper container otherwise: a real
 * volume, real containers standing in for an app's tasks (they carry its stack label).
 */

const suffix = randomBytes(3).toString('hex')
const stack = `ccci-vfiles-${suffix}`
const labels = ownerLabels(`test-volume-files-${suffix}`, 'volume-files', loadSettings().home)
const volume = { key: 'content', volume: `${stack}_content` }
const app = { domain: `${stack}.test`, stack }
const options = { ownerLabels: labels, log: createLogger('volume-files-test') }
let started: HelperContainer[] = []

/** A container of the "app" mounting the volume at /srv/content. */
async function appContainer(readOnly: boolean): Promise<HelperContainer> {
  const container = await startHelper({
    image: BUSYBOX_IMAGE,
    name: `${stack}-app-${randomBytes(2).toString('hex')}`,
    command: ['sleep', '600'],
    mounts: [{ volume: volume.volume, target: '/srv/content', readOnly }],
    labels: { ...labels, [STACK_NAMESPACE_LABEL]: stack },
  })
  started.push(container)
  return container
}

async function sh(container: HelperContainer, script: string): Promise<string> {
  const result = await execInContainer(container.id, ['sh', '-c', script], { timeoutMs: 20_000 })
  expect(result.exitCode, result.stderr).toBe(0)
  return result.stdout
}

/** Helper containers created for this stack since `since`. */
async function helpersSince(since: Date): Promise<number> {
  const events = await dockerEvents({
    since,
    until: new Date(Date.now() + 1000),
    filters: { type: ['container'], event: ['create'], label: [`${HELPER_STACK_LABEL}=${stack}`] },
    limit: 100,
  })
  return events.filter((e) => e.attributes[HELPER_LABEL] === 'files').length
}

await createVolume(volume.volume, labels)

afterEach(async () => {
  await Promise.all(started.map((c) => c.remove()))
  started = []
})

afterAll(async () => {
  await removeObject({ kind: 'volume', id: volume.volume, name: volume.volume })
})

test('through a running container that mounts the volume: no helper is started', async () => {
  const container = await appContainer(false)
  const since = new Date(Date.now() - 1000)
  await writeVolumeFiles(app, volume, { '.m': 'first', '.n': 'two words' }, options)
  expect(await sh(container, 'cat /srv/content/.m; echo; cat /srv/content/.n')).toBe(
    'first\ntwo words',
  )
  await sh(container, 'printf changed > /srv/content/.m')
  expect(await readVolumeFile(app, volume, '.m', options)).toBe('changed')
  expect(await readVolumeFile(app, volume, 'absent', options)).toBeUndefined()
  // Not a file: a symlink out of the volume is not followed, a folder is no file.
  await sh(container, 'ln -s /etc/passwd /srv/content/.link; mkdir /srv/content/.dir')
  expect(await readVolumeFile(app, volume, '.link', options)).toBeUndefined()
  expect(await readVolumeFile(app, volume, '.dir', options)).toBeUndefined()
  expect(await helpersSince(since)).toBe(0)
})

test('a file larger than a marker is refused with a clear error, nothing buffered', async () => {
  const container = await appContainer(false)
  await sh(container, 'head -c 2000000 /dev/zero > /srv/content/big')
  const refused = await readVolumeFile(app, volume, 'big', options).catch((e: unknown) => e)
  expect(refused).toMatchObject({ code: 'CCCI_VOLUME_READ' })
  expect(String(refused)).toContain('could not read big')
})

test('a read-only mount serves reads; writes go through a helper', async () => {
  const since = new Date(Date.now() - 1000)
  await appContainer(true)
  await writeVolumeFiles(app, volume, { '.m': 'through the helper' }, options)
  expect(await helpersSince(since)).toBe(1)
  expect(await readVolumeFile(app, volume, '.m', options)).toBe('through the helper')
  expect(await helpersSince(since)).toBe(1)
})

test('no container of the app mounts it: a helper reads and writes', async () => {
  const since = new Date(Date.now() - 1000)
  await writeVolumeFiles(app, volume, { '.m': 'no app running' }, options)
  expect(await readVolumeFile(app, volume, '.m', options)).toBe('no app running')
  expect(await readVolumeFile(app, volume, 'absent', options)).toBeUndefined()
  expect(await helpersSince(since)).toBe(3)
})
