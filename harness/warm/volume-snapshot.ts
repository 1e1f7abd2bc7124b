import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, statSync } from 'node:fs'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import {
  createVolume,
  execInContainer,
  getArchive,
  listVolumes,
  putArchive,
  STACK_NAMESPACE_LABEL,
  withVolumeHelper,
  type HelperApp,
  type HelperContainer,
  type VolumeHelperOptions,
} from '../docker/index.ts'
import { CcciError, tail } from '../errors.ts'
import type { SnapshotVolume } from './snapshot-manifest.ts'

/** One volume of a stack: its compose key and its Docker name. */
export interface StackVolume {
  key: string
  volume: string
}

/**
 * Lists a volume (relative path, type, mode, owner, and a checksum per file or the target per
 * link) in a stable order: what a snapshot's `content` checksum is taken over.
 */
const LISTING_SCRIPT = `set -e
cd "$1"
find . | LC_ALL=C sort | while IFS= read -r f; do
  meta=$(stat -c '%a %u:%g' "$f")
  if [ -L "$f" ]; then echo "l $meta $f -> $(readlink "$f")"
  elif [ -f "$f" ]; then echo "f $meta $f $(sha256sum < "$f" | cut -d' ' -f1)"
  else echo "d $meta $f"; fi
done`

const EMPTY_SCRIPT = 'set -e; cd "$1"; rm -rf ./* ./.[!.]* ./..?*'

/** The volumes of a stack, by compose key (Docker names them `<stack>_<key>`). */
export async function stackVolumeKeys(stack: string): Promise<StackVolume[]> {
  const volumes = await listVolumes({ labels: { [STACK_NAMESPACE_LABEL]: stack } })
  return volumes
    .filter((v) => v.name.startsWith(`${stack}_`))
    .map((v) => ({ key: v.name.slice(stack.length + 1), volume: v.name }))
    .sort((a, b) => (a.key < b.key ? -1 : 1))
}

async function helperScript(
  helper: HelperContainer,
  doing: string,
  script: string,
  args: string[],
): Promise<string> {
  const result = await execInContainer(helper.id, ['sh', '-c', script, 'sh', ...args], {
    timeoutMs: 600_000,
  })
  if (result.exitCode !== 0) {
    throw new CcciError('CCCI_WARM_VOLUME', `${doing} failed`, {
      evidence: [{ label: 'output', text: tail(result.stderr + result.stdout) }],
      hint: 'is the disk full? `df -h /var/lib/docker`; the known-good snapshot was not changed',
    })
  }
  return result.stdout
}

async function contentDigest(helper: HelperContainer, path: string): Promise<string> {
  const listing = await helperScript(helper, `listing ${path}`, LISTING_SCRIPT, [path])
  return createHash('sha256').update(listing).digest('hex')
}

/**
 * Archives each volume whole into `<dir>/<key>.tar.gz` through a read-only helper container,
 * with the archive's checksum and the checksum of the volume's listing. The app must be
 * undeployed (nothing writes while the archive is taken).
 */
export async function archiveVolumes(
  app: HelperApp,
  volumes: readonly StackVolume[],
  dir: string,
  options: VolumeHelperOptions,
): Promise<SnapshotVolume[]> {
  if (volumes.length === 0) {
    return []
  }
  return withVolumeHelper(app, 'backup', volumes, options, async (helper) => {
    const archived: SnapshotVolume[] = []
    for (const { key } of volumes) {
      const file = `${key}.tar.gz`
      const hash = createHash('sha256')
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk)
          done(null, chunk)
        },
      })
      const stream = await getArchive(helper.id, `/src/${key}`)
      await pipeline(stream, createGzip(), tap, createWriteStream(join(dir, file)))
      archived.push({
        key,
        file,
        sha256: hash.digest('hex'),
        bytes: statSync(join(dir, file)).size,
        content: await contentDigest(helper, `/src/${key}`),
      })
    }
    return archived
  })
}

/**
 * Fills volumes from a snapshot: each is created when missing (with `labels`, and the stack's
 * namespace so the stack adopts it), emptied, refilled from its archive, and checked against the
 * listing checksum the snapshot recorded. Throws when a volume does not come out identical.
 */
export async function fillVolumes(
  app: HelperApp,
  snapshotDir: string,
  volumes: readonly SnapshotVolume[],
  labels: Record<string, string>,
  options: VolumeHelperOptions,
): Promise<void> {
  if (volumes.length === 0) {
    return
  }
  const existing = new Set((await listVolumes()).map((v) => v.name))
  const targets = volumes.map((v) => ({ ...v, volume: `${app.stack}_${v.key}` }))
  for (const target of targets) {
    if (!existing.has(target.volume)) {
      await createVolume(target.volume, { ...labels, [STACK_NAMESPACE_LABEL]: app.stack })
    }
  }
  await withVolumeHelper(app, 'restore', targets, options, async (helper) => {
    for (const target of targets) {
      await helperScript(helper, `emptying ${target.volume}`, EMPTY_SCRIPT, [`/dst/${target.key}`])
      await putArchive(
        helper.id,
        '/dst',
        createReadStream(join(snapshotDir, target.file)).pipe(createGunzip()),
      )
      const digest = await contentDigest(helper, `/dst/${target.key}`)
      if (digest !== target.content) {
        throw new CcciError(
          'CCCI_WARM_VOLUME',
          `volume ${target.volume} does not match the snapshot after it was filled`,
          {
            hint: `the snapshot ${snapshotDir} or the disk is damaged; \`ccci sweep\` seeds a fresh canonical`,
          },
        )
      }
    }
  })
}
