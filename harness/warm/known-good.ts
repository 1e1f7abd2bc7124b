import { createHash, randomBytes } from 'node:crypto'
import {
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { basename, join } from 'node:path'
import { z } from 'zod'
import { CcciError } from '../errors.ts'
import { registerSecret } from '../redaction/redact.ts'
import { faultPoint } from './fault-point.ts'
import {
  SecretValuesSchema,
  SnapshotManifestSchema,
  type SnapshotManifest,
} from './snapshot-manifest.ts'
import { knownGoodLink, snapshotsDir } from './warm-paths.ts'

/** A sealed snapshot, checked against its manifest. */
export interface Snapshot {
  id: string
  dir: string
  manifest: SnapshotManifest
}

const SEALED = /^\d{13}-[0-9a-f]{6}$/

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')))
  })
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function corrupt(dir: string, problem: string): CcciError {
  return new CcciError(
    'CCCI_WARM_SNAPSHOT_CORRUPT',
    `the snapshot ${dir} is unusable: ${problem}`,
    {
      hint: "nothing was restored from it; the next sweep replaces it (`ccci sweep`), or remove the recipe's folder under <CCCI_HOME>/warm to start over",
    },
  )
}

/** Reads and checks one sealed snapshot folder: the manifest, and every archive's checksum. */
export async function readSnapshot(dir: string): Promise<Snapshot> {
  const manifestFile = join(dir, 'manifest.json')
  if (!existsSync(manifestFile)) {
    throw corrupt(dir, 'it has no manifest.json')
  }
  const parsed = SnapshotManifestSchema.safeParse(JSON.parse(readFileSync(manifestFile, 'utf8')))
  if (!parsed.success) {
    throw corrupt(dir, z.prettifyError(parsed.error))
  }
  for (const volume of parsed.data.volumes) {
    const file = join(dir, volume.file)
    if (!existsSync(file)) {
      throw corrupt(dir, `${volume.file} is missing`)
    }
    const sum = await sha256File(file)
    if (sum !== volume.sha256) {
      throw corrupt(dir, `${volume.file} has checksum ${sum}, the manifest says ${volume.sha256}`)
    }
  }
  return { id: basename(dir), dir, manifest: parsed.data }
}

/** The recipe's known-good snapshot, checked; undefined when it has none. */
export async function readKnownGood(home: string, recipe: string): Promise<Snapshot | undefined> {
  const link = knownGoodLink(home, recipe)
  let target: string
  try {
    target = readlinkSync(link)
  } catch {
    return undefined
  }
  return readSnapshot(join(snapshotsDir(home, recipe), basename(target)))
}

/** The secret values a snapshot keeps, registered for redaction. */
export function readSnapshotSecrets(snapshot: Snapshot): Record<string, string> {
  const file = join(snapshot.dir, 'secrets.json')
  if (!existsSync(file)) {
    return {}
  }
  const values = SecretValuesSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  Object.values(values).forEach(registerSecret)
  return values
}

/** What filling a new snapshot folder produced: the manifest without its identity fields. */
export type SnapshotContent = Omit<SnapshotManifest, 'version'>

/**
 * Writes a new snapshot and makes it the known-good, so that a crash at any step leaves the
 * previous known-good intact and readable:
 * 1. `fill` writes the archives into `snapshots/<id>.partial` (never read as a snapshot);
 * 2. the secrets and the manifest are written, everything is fsynced;
 * 3. the folder is renamed to `snapshots/<id>` (sealed);
 * 4. a new symlink is renamed over `known-good` (one atomic step: the old or the new, never none);
 * 5. the older snapshots and any `.partial` leftovers are removed.
 */
export async function replaceKnownGood(
  home: string,
  recipe: string,
  secrets: Record<string, string>,
  fill: (dir: string) => Promise<SnapshotContent>,
): Promise<Snapshot> {
  const root = snapshotsDir(home, recipe)
  mkdirSync(root, { recursive: true })
  const id = `${Date.now()}-${randomBytes(3).toString('hex')}`
  const partial = join(root, `${id}.partial`)
  mkdirSync(partial)
  faultPoint('snapshot-archive')
  const content = await fill(partial)
  const manifest = SnapshotManifestSchema.parse({ version: 1, ...content })
  writeFileSync(join(partial, 'secrets.json'), `${JSON.stringify(secrets)}\n`, { mode: 0o600 })
  faultPoint('snapshot-manifest')
  writeFileSync(join(partial, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  for (const name of readdirSync(partial)) {
    fsyncPath(join(partial, name))
  }
  fsyncPath(partial)
  faultPoint('snapshot-seal')
  const sealed = join(root, id)
  renameSync(partial, sealed)
  fsyncPath(root)
  faultPoint('snapshot-link')
  const link = knownGoodLink(home, recipe)
  const next = `${link}.next-${randomBytes(3).toString('hex')}`
  symlinkSync(join('snapshots', id), next)
  renameSync(next, link)
  faultPoint('snapshot-cleanup')
  removeStaleSnapshots(home, recipe)
  return { id, dir: sealed, manifest }
}

/** Removes every snapshot folder but the known-good, and half-written links. */
export function removeStaleSnapshots(home: string, recipe: string): void {
  const root = snapshotsDir(home, recipe)
  let current: string | undefined
  try {
    current = basename(readlinkSync(knownGoodLink(home, recipe)))
  } catch {
    current = undefined
  }
  if (existsSync(root)) {
    for (const name of readdirSync(root)) {
      if (name !== current && (SEALED.test(name) || name.endsWith('.partial'))) {
        rmSync(join(root, name), { recursive: true, force: true })
      }
    }
  }
  const dir = join(root, '..')
  for (const name of readdirSync(dir)) {
    if (name.startsWith('known-good.next-')) {
      rmSync(join(dir, name), { force: true })
    }
  }
}
