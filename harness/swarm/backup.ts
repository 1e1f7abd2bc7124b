import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import { getArchive, putArchive, withVolumeHelper, type HelperContainer } from '../docker/index.ts'
import type { AppRef, BackupArtifact } from '../driver/app-driver.ts'
import { CcciError, describeError } from '../errors.ts'
import { withDeadline } from '../poll.ts'
import {
  type BackupPlan,
  type VolumePaths,
  type VolumeSelection,
} from '../coop/backupbot-labels.ts'
import {
  archivePath,
  archivedFiles,
  loadManifest,
  manifestPath,
  newBackupId,
  toArtifact,
  verifyArchive,
  writeJsonAtomic,
  type BackupManifest,
} from './backup-store.ts'
import {
  batchScript,
  copyTimeout,
  DEFAULT_COPY_MS,
  helperScript,
  runHook,
  type BackupOptions,
} from './backup-steps.ts'
import { readBackupPlan } from '../coop/deployed-backup-plan.ts'

export {
  BackupManifestSchema,
  listBackups,
  loadManifest,
  type BackupManifest,
} from './backup-store.ts'
export type { BackupOptions } from './backup-steps.ts'

/**
 * `stage KEY all|paths [PATH...]`: copies a volume's selected paths from /src/<key> to
 * /stage/<key>; prints `missing: <key>/<path>` for each selected path that does not exist.
 */
const STAGE_FUNCTION = `stage() {
key=$1; mode=$2; shift 2
src="/src/$key"; dst="/stage/$key"
mkdir -p "$dst"
if [ "$mode" = all ]; then cp -a "$src/." "$dst/"; return 0; fi
for p in "$@"; do
  if [ -e "$src/$p" ] || [ -L "$src/$p" ]; then
    mkdir -p "$(dirname "$dst/$p")"
    cp -a "$src/$p" "$dst/$p"
  else
    echo "missing: $key/$p"
  fi
done
}`

/** `restore KEY all|paths [PATH...]`: replaces a volume's content (or only the selected paths) with /stage/<key>. */
const RESTORE_FUNCTION = `restore() {
key=$1; mode=$2; shift 2
src="/stage/$key"; dst="/dst/$key"
if [ "$mode" = all ]; then
  rm -rf "$dst"/* "$dst"/.[!.]* "$dst"/..?*
  if [ -d "$src" ]; then cp -a "$src/." "$dst/"; fi
  return 0
fi
for p in "$@"; do
  rm -rf "$dst/$p"
  if [ -e "$src/$p" ] || [ -L "$src/$p" ]; then
    mkdir -p "$(dirname "$dst/$p")"
    cp -a "$src/$p" "$dst/$p"
  fi
done
}`

const pathArgs = (key: string, paths: VolumePaths): string[] =>
  paths === 'all' ? [key, 'all'] : [key, 'paths', ...paths]

/** Stages the selected volumes (one exec for all of them); returns the selected paths that did not exist. */
async function stageVolumes(
  helper: HelperContainer,
  volumes: readonly VolumeSelection[],
  options: BackupOptions,
): Promise<string[]> {
  if (volumes.length === 0) {
    return []
  }
  const { script, args } = batchScript(
    STAGE_FUNCTION,
    'stage',
    volumes.map((v) => pathArgs(v.key, v.paths)),
  )
  const output = await helperScript(
    helper,
    `copying volume(s) ${volumes.map((v) => v.key).join(', ')} out`,
    script,
    args,
    { ...options, code: 'CCCI_BACKUP_COPY' },
  )
  return output
    .split('\n')
    .filter((line) => line.startsWith('missing: '))
    .map((line) => line.slice('missing: '.length))
}

/**
 * Every pre-hook (while the helper starts), then the copy of every selected volume, then every
 * post-hook, then the archive (the spec: hooks run "before/after backing up files", in no
 * guaranteed order; cc-ci runs them by service name). When a pre-hook or the copy fails, the
 * post-hooks of the services already passed (pre-hook done, or none) still run, best effort, to
 * undo what the pre-hooks did. Returns the selected paths that did not exist.
 */
async function backupStack(
  app: AppRef,
  plan: BackupPlan,
  archive: string,
  options: BackupOptions,
): Promise<string[]> {
  const ready: typeof plan.hooks = []
  const preHooks = async () => {
    for (const entry of plan.hooks) {
      if (entry.hooks.backupPre !== undefined) {
        await runHook(app, entry.service, 'backupPre', entry.hooks.backupPre, options)
      }
      ready.push(entry)
    }
  }
  let staged = false
  try {
    return await withVolumeHelper(
      app,
      'backup',
      plan.volumes,
      options,
      async (helper) => {
        const missing = await stageVolumes(helper, plan.volumes, options)
        staged = true
        for (const { service, hooks } of plan.hooks) {
          if (hooks.backupPost !== undefined) {
            await runHook(app, service, 'backupPost', hooks.backupPost, options)
          }
        }
        await writeArchive(helper, archive, options)
        return missing
      },
      preHooks,
    )
  } catch (error) {
    if (!staged) {
      for (const { service, hooks } of ready) {
        if (hooks.backupPost !== undefined) {
          await runHook(app, service, 'backupPost', hooks.backupPost, options).catch(
            (hookError: unknown) =>
              options.log.warn(`post-hook after a failed backup: ${describeError(hookError)}`),
          )
        }
      }
    }
    throw error
  }
}

/** Writes the helper's /stage as a gzip'd tar to `path` (through a `.partial` file). */
async function writeArchive(
  helper: HelperContainer,
  path: string,
  options: BackupOptions,
): Promise<void> {
  const ms = options.timeouts?.copyMs ?? DEFAULT_COPY_MS
  const partial = `${path}.partial`
  try {
    const stream = await withDeadline(getArchive(helper.id, '/stage'), ms, () =>
      copyTimeout('reading the staged files', ms),
    )
    await pipeline(stream, createGzip(), createWriteStream(partial), {
      signal: AbortSignal.timeout(ms),
    }).catch((error: unknown) => {
      throw error instanceof Error && error.name === 'AbortError'
        ? copyTimeout('writing the archive', ms)
        : error
    })
    renameSync(partial, path)
  } finally {
    rmSync(partial, { force: true })
  }
}

function describeSelection(volumes: readonly VolumeSelection[]): string {
  return volumes
    .map(
      (v) => `${v.key} (${v.volume}): ${v.paths === 'all' ? 'whole volume' : v.paths.join(', ')}`,
    )
    .join('\n')
}

/**
 * Backs up a deployed app following its backupbot labels: the pre-hooks, a copy of the selected
 * volume paths, the post-hooks; the copies become `<backupDir>/<id>.tar.gz` with a `<id>.json`
 * manifest. The plan's warnings are logged and kept in the manifest and the artifact.
 */
export async function createBackup(app: AppRef, options: BackupOptions): Promise<BackupArtifact> {
  const { plan } = await readBackupPlan(app)
  plan.warnings.forEach((w) => options.log.warn(w))
  if (plan.labelled.length === 0) {
    throw new CcciError('CCCI_BACKUP_NOT_CAPABLE', `${app.domain} has no backupbot labels`, {
      hint: 'no service of the deployed version says backupbot.backup=true; mark the recipe not backup-capable, or add the labels',
    })
  }
  const dir = options.backupDir
  mkdirSync(dir, { recursive: true })
  const id = newBackupId(dir)
  const archive = archivePath(dir, id)
  options.log.step(`backing up ${app.domain} as ${id}`)
  describeSelection(plan.volumes)
    .split('\n')
    .forEach((line) => options.log.info(`  ${line}`))
  const missing = await backupStack(app, plan, archive, options)
  const files = await archivedFiles(archive)
  if (files.length === 0) {
    rmSync(archive, { force: true })
    throw new CcciError('CCCI_BACKUP_EMPTY', `the backup of ${app.domain} holds no files`, {
      evidence: [
        { label: 'selected', text: describeSelection(plan.volumes) || '(no volumes)' },
        { label: 'selected paths that did not exist', text: missing.join('\n') },
      ],
      hint: 'did the pre-hook write its dump? Check the backupbot.backup.volumes.<volume>.path labels against what the volumes hold',
    })
  }
  missing.forEach((m) => options.log.warn(`backup ${id}: selected path ${m} did not exist`))
  const manifest: BackupManifest = {
    id,
    stack: app.stack,
    recipe: app.recipe,
    domain: app.domain,
    createdAt: new Date().toISOString(),
    volumes: Object.fromEntries(plan.volumes.map((v) => [v.key, { paths: v.paths }])),
    files,
    sizeBytes: statSync(archive).size,
    missing,
    warnings: plan.warnings,
  }
  writeJsonAtomic(manifestPath(dir, id), manifest)
  options.log.info(`backup ${id}: ${files.length} file(s), ${manifest.sizeBytes} bytes`)
  return toArtifact(dir, manifest)
}

/** The Docker volume of each volume key of the backup, from the stack's mounts. */
function restoreTargets(
  app: AppRef,
  manifest: BackupManifest,
  mounts: ReadonlyMap<string, string>,
): { key: string; volume: string; paths: VolumePaths }[] {
  return Object.entries(manifest.volumes).map(([key, { paths }]) => {
    const volume = mounts.get(key)
    if (volume === undefined) {
      throw new CcciError(
        'CCCI_RESTORE_NO_VOLUME',
        `backup ${manifest.id} holds volume ${key}, which no service of ${app.domain} mounts`,
        {
          evidence: [{ label: 'volumes mounted now', text: [...mounts.keys()].join('\n') }],
          hint: 'restore into a deployment of the recipe version the backup was taken from',
        },
      )
    }
    return { key, volume, paths }
  })
}

/** Copies the archive into the helper and replaces each volume's content (or selected paths). */
async function restoreVolumes(
  helper: HelperContainer,
  archive: string,
  targets: readonly { key: string; paths: VolumePaths }[],
  options: BackupOptions,
): Promise<void> {
  const ms = options.timeouts?.copyMs ?? DEFAULT_COPY_MS
  const source = createReadStream(archive)
  const tar = source.pipe(createGunzip())
  source.on('error', (error) => tar.destroy(error))
  await withDeadline(putArchive(helper.id, '/', tar), ms, () =>
    copyTimeout('copying the archive into the restore helper', ms),
  ).finally(() => source.destroy())
  if (targets.length === 0) {
    return
  }
  const { script, args } = batchScript(
    RESTORE_FUNCTION,
    'restore',
    targets.map((t) => pathArgs(t.key, t.paths)),
  )
  await helperScript(
    helper,
    `restoring volume(s) ${targets.map((t) => t.key).join(', ')}`,
    script,
    args,
    { ...options, code: 'CCCI_RESTORE_COPY' },
  )
}

/**
 * Restores a backup into the deployed app: restore pre-hooks, then each volume's content (whole
 * volumes replaced exactly, path-limited ones only at those paths), then restore post-hooks.
 * Post-hooks do not run when copying failed (they would act on half-restored data).
 */
export async function restoreBackup(
  app: AppRef,
  artifactId: string,
  options: BackupOptions,
): Promise<void> {
  const dir = options.backupDir
  const manifest = loadManifest(dir, artifactId)
  if (manifest.stack !== app.stack) {
    options.log.warn(
      `backup ${artifactId} was taken from ${manifest.stack}, restoring into ${app.stack}`,
    )
  }
  await verifyArchive(dir, manifest)
  const { plan, mounts } = await readBackupPlan(app)
  plan.warnings.forEach((w) => options.log.warn(w))
  const targets = restoreTargets(app, manifest, mounts)
  options.log.step(
    `restoring ${artifactId} into ${app.domain}: ${targets.map((t) => t.key).join(', ')}`,
  )
  // The pre-hooks run while the helper starts (it only mounts the volumes); the copy waits for both.
  await withVolumeHelper(
    app,
    'restore',
    targets,
    options,
    (helper) => restoreVolumes(helper, archivePath(dir, manifest.id), targets, options),
    async () => {
      for (const { service, hooks } of plan.hooks) {
        if (hooks.restorePre !== undefined) {
          await runHook(app, service, 'restorePre', hooks.restorePre, options)
        }
      }
    },
  )
  for (const { service, hooks } of plan.hooks) {
    if (hooks.restorePost !== undefined) {
      await runHook(app, service, 'restorePost', hooks.restorePost, options)
    }
  }
}
