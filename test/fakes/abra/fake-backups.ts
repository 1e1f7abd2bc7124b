/** The fake abra's backup-bot-two: `app backup create|snapshots|download` and `app restore`. */
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { packEntries, type TarEntry } from '../../../harness/archive/tar.ts'
import type { AppRef } from '../../../harness/driver/app-driver.ts'
import { listBackups, loadManifest } from '../../../harness/swarm/backup.ts'
import { readTarGz } from '../../support/read-tar-gz.ts'
import { type AbraCall } from './abra-argv.ts'
import { abraDir, arg, Fatal, findApp, flag, out, say, swarm } from './fake-apps.ts'

export async function backupCreate(call: AbraCall): Promise<void> {
  const app = findApp(arg(call, 0))
  const artifact = await swarm(app).backup(app)
  out(`snapshot ${artifact.id} saved`)
}

export const backupDirOf = (app: AppRef) => join(abraDir(), 'fake-backupbot', app.stack)

export function backupSnapshots(call: AbraCall): number {
  const app = findApp(arg(call, 0))
  const dir = backupDirOf(app)
  const backups = listBackups(dir)
  if (backups.length === 0) {
    out('No Snapshots found')
    return 1
  }
  for (const backup of backups) {
    out(`${loadManifest(dir, backup.id).createdAt.replace(/\.\d+Z$/, 'Z')} ${backup.id}`)
  }
  return 0
}

export function snapshotArg(call: AbraCall, app: AppRef): string {
  const given = flag(call, 'snapshot')
  if (typeof given === 'string') {
    return given
  }
  const latest = listBackups(backupDirOf(app)).at(-1)
  if (latest === undefined) {
    throw new Fatal('No Snapshots found')
  }
  return latest.id
}

/**
 * Writes the snapshot as backup-bot-two's download does (UNCONFIRMED, see docs/drivers.md): files
 * under their host path `var/lib/docker/volumes/<volume>/_data/`, gzip'd, into the working
 * directory.
 */
export async function backupDownload(call: AbraCall): Promise<void> {
  const app = findApp(arg(call, 0))
  const id = snapshotArg(call, app)
  const dir = backupDirOf(app)
  const manifest = loadManifest(dir, id)
  const { entries, contents } = await readTarGz(join(dir, `${id}.tar.gz`), () => true)
  const moved: TarEntry[] = Object.keys(manifest.volumes).map((key) => ({
    type: 'directory',
    name: `var/lib/docker/volumes/${app.stack}_${key}/_data/`,
  }))
  for (const entry of entries) {
    const match = /^stage\/([^/]+)\/(.+)$/.exec(entry.name.replace(/\/+$/, ''))
    if (match === null) {
      continue
    }
    const name = `var/lib/docker/volumes/${app.stack}_${match[1] ?? ''}/_data/${match[2] ?? ''}`
    if (entry.type === 'directory') {
      moved.push({ type: 'directory', name: `${name}/` })
    } else if (entry.type === 'file') {
      moved.push({ type: 'file', name, content: contents.get(entry.name) ?? Buffer.alloc(0) })
    } else {
      say('WARN', `skipping ${entry.type} ${entry.name}`)
    }
  }
  const file = `${app.domain}_${id}.tar.gz`
  await pipeline(packEntries(moved), createGzip(), createWriteStream(join(process.cwd(), file)))
  say('INFO', `backup downloaded to ${file}`)
}

export async function restore(call: AbraCall): Promise<void> {
  const app = findApp(arg(call, 0))
  const id = snapshotArg(call, app)
  await swarm(app).restore(app, id)
  say('INFO', `snapshot ${id} restored into ${app.domain}`)
}
