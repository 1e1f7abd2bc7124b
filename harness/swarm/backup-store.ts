import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { listTarGz } from '../archive/tar.ts'
import type { BackupArtifact } from '../driver/app-driver.ts'
import { CcciError, describeError } from '../errors.ts'

/** The backup store of the swarm driver: one `<id>.tar.gz` and its `<id>.json` manifest per backup. */

const ID_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{4}$/

const VolumePathsSchema = z.union([z.array(z.string()), z.literal('all')])

/** `<id>.json` next to each artifact. */
export const BackupManifestSchema = z.object({
  id: z.string(),
  stack: z.string(),
  recipe: z.string(),
  domain: z.string(),
  createdAt: z.string(),
  volumes: z.record(z.string(), z.object({ paths: VolumePathsSchema })),
  /** `<volume-key>/<path>` of every non-directory entry. */
  files: z.array(z.string()),
  sizeBytes: z.number(),
  /** Selected paths that did not exist when the backup was taken. */
  missing: z.array(z.string()).default([]),
  /** The backup plan's warnings (labels with no effect, unknown labels); absent in older manifests. */
  warnings: z.array(z.string()).default([]),
})
export type BackupManifest = z.infer<typeof BackupManifestSchema>

export const archivePath = (dir: string, id: string) => join(dir, `${id}.tar.gz`)
export const manifestPath = (dir: string, id: string) => join(dir, `${id}.json`)

/** A sortable artifact id: UTC timestamp and 4 random hex digits, e.g. `20261123T131500Z-ab12`. */
export function newBackupId(dir: string): string {
  for (;;) {
    const stamp = new Date()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z')
      .replace(/[-:]/g, '')
    const id = `${stamp}-${randomBytes(2).toString('hex')}`
    if (!existsSync(manifestPath(dir, id)) && !existsSync(archivePath(dir, id))) {
      return id
    }
  }
}

export function toArtifact(dir: string, manifest: BackupManifest): BackupArtifact {
  return {
    id: manifest.id,
    location: archivePath(dir, manifest.id),
    sizeBytes: manifest.sizeBytes,
    files: manifest.files,
    volumes: Object.keys(manifest.volumes),
    warnings: manifest.warnings,
  }
}

function readManifestFile(dir: string, id: string): BackupManifest | undefined {
  try {
    const manifest = BackupManifestSchema.parse(
      JSON.parse(readFileSync(manifestPath(dir, id), 'utf8')),
    )
    return manifest.id === id && existsSync(archivePath(dir, id)) ? manifest : undefined
  } catch {
    return undefined
  }
}

/** The backups in `backupDir` (complete ones: manifest and archive), oldest first. */
export function listBackups(backupDir: string): BackupArtifact[] {
  if (!existsSync(backupDir)) {
    return []
  }
  return readdirSync(backupDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .filter((id) => ID_PATTERN.test(id))
    .sort()
    .flatMap((id) => {
      const manifest = readManifestFile(backupDir, id)
      return manifest === undefined ? [] : [toArtifact(backupDir, manifest)]
    })
}

/** The manifest of one backup; `CCCI_BACKUP_NOT_FOUND` lists the ids that exist. */
export function loadManifest(backupDir: string, id: string): BackupManifest {
  const manifest = ID_PATTERN.test(id) ? readManifestFile(backupDir, id) : undefined
  if (manifest === undefined) {
    const known = listBackups(backupDir).map((a) => a.id)
    throw new CcciError('CCCI_BACKUP_NOT_FOUND', `no backup ${id} in ${backupDir}`, {
      evidence: [{ label: 'backups there', text: known.join('\n') || '(none)' }],
      hint:
        known.length === 0
          ? 'take a backup first (the backup tier), then restore it'
          : `restore one of the ids listed above (newest: ${known.at(-1) ?? ''})`,
    })
  }
  return manifest
}

/** `<volume-key>/<path>` of every non-directory entry under `stage/`. */
export async function archivedFiles(path: string): Promise<string[]> {
  return (await listTarGz(path))
    .filter((e) => e.type !== 'directory' && e.name.startsWith('stage/'))
    .map((e) => e.name.slice('stage/'.length))
    .sort()
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileSync(`${path}.partial`, `${JSON.stringify(value, null, 2)}\n`)
  renameSync(`${path}.partial`, path)
}

/** Checks the archive is intact and holds what its manifest says. */
export async function verifyArchive(dir: string, manifest: BackupManifest): Promise<void> {
  const path = archivePath(dir, manifest.id)
  const fail = (why: string) =>
    new CcciError('CCCI_BACKUP_CORRUPT', `backup ${manifest.id} is damaged: ${why}`, {
      evidence: [{ label: 'archive', text: path }],
      hint: 'take a new backup; this one cannot be restored faithfully',
    })
  let files: string[]
  try {
    files = await archivedFiles(path)
  } catch (error) {
    throw fail(describeError(error))
  }
  const expected = [...manifest.files].sort()
  if (files.join('\n') !== expected.join('\n')) {
    throw fail(`the archive holds ${files.length} file(s), the manifest lists ${expected.length}`)
  }
}
