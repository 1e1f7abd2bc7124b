import { randomBytes } from 'node:crypto'
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import { z } from 'zod'
import { listTarGz } from '../archive/tar.ts'
import {
  execInContainer,
  getArchive,
  listVolumes,
  putArchive,
  stackServices,
  startHelper,
  type HelperContainer,
} from '../docker/index.ts'
import type { AppRef, BackupArtifact } from '../driver/app-driver.ts'
import { CcciError, describeError, isCcciError, tail } from '../errors.ts'
import { BUSYBOX_IMAGE } from '../host/base-images.ts'
import type { Logger } from '../log.ts'
import {
  backupPlan,
  volumeKey,
  type BackupHooks,
  type BackupPlan,
  type VolumePaths,
  type VolumeSelection,
} from './backupbot-labels.ts'
import { runningContainer } from './service-container.ts'

/** Where backups go and who owns the helper containers. */
export interface BackupOptions {
  /** Folder of the artifacts: `<id>.tar.gz` and its `<id>.json` manifest. */
  backupDir: string
  /** Labels put on the helper containers, so the janitor can reap them. */
  ownerLabels: Record<string, string>
  log: Logger
  /** Deadlines: each hook (default 5 min) and each copy step (default 10 min). */
  timeouts?: { hookMs?: number; copyMs?: number }
}

/** Labels of the helper containers besides the owner labels. */
export const HELPER_LABEL = 'cc-ci.backup-helper'
const HELPER_STACK_LABEL = 'cc-ci.stack'
const DEFAULT_HOOK_MS = 300_000
const DEFAULT_COPY_MS = 600_000
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
})
export type BackupManifest = z.infer<typeof BackupManifestSchema>

const archivePath = (dir: string, id: string) => join(dir, `${id}.tar.gz`)
const manifestPath = (dir: string, id: string) => join(dir, `${id}.json`)

/** A sortable artifact id: UTC timestamp and 4 random hex digits, e.g. `20261123T131500Z-ab12`. */
function newBackupId(dir: string): string {
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

function toArtifact(dir: string, manifest: BackupManifest): BackupArtifact {
  return {
    id: manifest.id,
    location: archivePath(dir, manifest.id),
    sizeBytes: manifest.sizeBytes,
    files: manifest.files,
    volumes: Object.keys(manifest.volumes),
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

/** The backup plan of the deployed stack (from its services' labels and mounts), and its volumes by key. */
export async function readBackupPlan(
  app: AppRef,
): Promise<{ plan: BackupPlan; mounts: Map<string, string> }> {
  const services = await stackServices(app.stack)
  if (services.length === 0) {
    throw new CcciError('CCCI_BACKUP_NOT_DEPLOYED', `${app.domain} is not deployed`, {
      hint: `deploy it first; \`docker stack services ${app.stack}\` lists nothing`,
    })
  }
  const inputs = services.map((s) => ({
    name: s.name.slice(app.stack.length + 1),
    labels: s.labels,
    mounts: s.mounts
      .filter((m) => m.type === 'volume' && m.source !== '')
      .map((m) => ({ volume: m.source, target: m.target })),
  }))
  const mounts = new Map(
    inputs.flatMap((s) => s.mounts).map((m) => [volumeKey(app.stack, m.volume), m.volume]),
  )
  return { plan: backupPlan(app.stack, inputs), mounts }
}

/** What a helper is for: `backup` mounts volumes read-only at /src, the others read-write at /dst. */
export type HelperRole = 'backup' | 'restore' | 'files'

type HookKind = keyof BackupHooks
const HOOK_LABELS: Record<HookKind, string> = {
  backupPre: 'backupbot.backup.pre-hook',
  backupPost: 'backupbot.backup.post-hook',
  restorePre: 'backupbot.restore.pre-hook',
  restorePost: 'backupbot.restore.post-hook',
}

/** Runs a backupbot hook with `sh -c` in a running container of the service. */
async function runHook(
  app: AppRef,
  service: string,
  kind: HookKind,
  hook: string,
  options: BackupOptions,
): Promise<void> {
  const code = kind.startsWith('backup') ? 'CCCI_BACKUP_HOOK' : 'CCCI_RESTORE_HOOK'
  const label = HOOK_LABELS[kind]
  const timeoutMs = options.timeouts?.hookMs ?? DEFAULT_HOOK_MS
  const container = await runningContainer(app, service, 'to run its backupbot hook in')
  const command = `docker exec ${container.slice(0, 12)} sh -c '${hook.replaceAll("'", `'\\''`)}'`
  const hint = `run the hook by hand (${command}) and fix it in the recipe (label ${label} of service ${service})`
  options.log.info(`  ${service}: ${label}: ${hook}`)
  let result
  try {
    result = await execInContainer(container, ['sh', '-c', hook], { timeoutMs })
  } catch (error) {
    if (isCcciError(error, 'CCCI_EXEC_TIMEOUT')) {
      throw new CcciError(
        code,
        `${label} of service ${service} did not finish within ${Math.round(timeoutMs / 1000)}s: ${hook}`,
        { evidence: [{ label: 'command', text: command }], hint, cause: error },
      )
    }
    throw error
  }
  if (result.exitCode !== 0) {
    throw new CcciError(
      code,
      `${label} of service ${service} failed with exit code ${result.exitCode}: ${hook}`,
      {
        evidence: [
          { label: 'command', text: command },
          { label: 'output (last 20 lines)', text: tail(`${result.stdout}\n${result.stderr}`) },
        ],
        hint,
      },
    )
  }
}

/** Starts the busybox helper with the volumes mounted; the caller removes it. */
async function startVolumeHelper(
  app: AppRef,
  role: HelperRole,
  volumes: readonly { key: string; volume: string }[],
  options: BackupOptions,
): Promise<HelperContainer> {
  const name = `ccci-${role}-${app.stack}-${randomBytes(3).toString('hex')}`
  const existing = new Set((await listVolumes()).map((v) => v.name))
  const absent = volumes.filter((v) => !existing.has(v.volume)).map((v) => v.volume)
  if (absent.length > 0) {
    throw new CcciError('CCCI_BACKUP_NO_VOLUME', `volume(s) ${absent.join(', ')} do not exist`, {
      hint: `the services of ${app.domain} mount them but no task has created them yet; is the app deployed and running? (\`docker stack ps ${app.stack}\`)`,
    })
  }
  try {
    return await startHelper({
      image: BUSYBOX_IMAGE,
      name,
      command: ['sleep', '3600'],
      mounts: volumes.map((v) => ({
        volume: v.volume,
        target: `/${role === 'backup' ? 'src' : 'dst'}/${v.key}`,
        readOnly: role === 'backup',
      })),
      labels: { ...options.ownerLabels, [HELPER_LABEL]: role, [HELPER_STACK_LABEL]: app.stack },
    })
  } catch (error) {
    throw new CcciError('CCCI_BACKUP_HELPER', `could not start the ${role} helper ${name}`, {
      evidence: [{ label: 'docker', text: describeError(error) }],
      hint: `the helper runs ${BUSYBOX_IMAGE}; \`./ccci host up\` builds it. A container named ${name} may be left: \`docker rm -f ${name}\``,
      cause: error,
    })
  }
}

/**
 * Runs `work` with a volume helper and always removes the helper afterwards. A failed removal is
 * an error of its own unless `work` already failed (then it is logged; the janitor reaps it).
 */
export async function withVolumeHelper<T>(
  app: AppRef,
  role: HelperRole,
  volumes: readonly { key: string; volume: string }[],
  options: BackupOptions,
  work: (helper: HelperContainer) => Promise<T>,
): Promise<T> {
  const helper = await startVolumeHelper(app, role, volumes, options)
  let result: T
  try {
    result = await work(helper)
  } catch (error) {
    await helper
      .remove()
      .catch((removal: unknown) =>
        options.log.warn(`helper left behind: ${describeError(removal)}`),
      )
    throw error
  }
  await helper.remove()
  return result
}

/** Runs a shell script in the helper (arguments as $1...); a failure carries its output. */
async function helperScript(
  helper: HelperContainer,
  what: string,
  script: string,
  args: readonly string[],
  options: BackupOptions & { code: string },
): Promise<string> {
  const timeoutMs = options.timeouts?.copyMs ?? DEFAULT_COPY_MS
  const result = await execInContainer(helper.id, ['sh', '-c', script, 'sh', ...args], {
    timeoutMs,
  })
  if (result.exitCode !== 0) {
    throw new CcciError(options.code, `${what} failed with exit code ${result.exitCode}`, {
      evidence: [
        { label: 'script', text: `${script}\n(arguments: ${args.join(' | ')})` },
        { label: 'output (last 20 lines)', text: tail(`${result.stdout}\n${result.stderr}`) },
      ],
      hint: 'the output says which file could not be copied (permissions? disk full?)',
    })
  }
  return result.stdout
}

/** Copies a volume's selected paths from /src/<key> to /stage/<key>; prints `missing: <p>`. */
const STAGE_SCRIPT = `set -e
key=$1; mode=$2; shift 2
src="/src/$key"; dst="/stage/$key"
mkdir -p "$dst"
if [ "$mode" = all ]; then cp -a "$src/." "$dst/"; exit 0; fi
for p in "$@"; do
  if [ -e "$src/$p" ] || [ -L "$src/$p" ]; then
    mkdir -p "$(dirname "$dst/$p")"
    cp -a "$src/$p" "$dst/$p"
  else
    echo "missing: $p"
  fi
done`

/** Replaces a volume's content (or only the selected paths) with /stage/<key>. */
const RESTORE_SCRIPT = `set -e
key=$1; mode=$2; shift 2
src="/stage/$key"; dst="/dst/$key"
if [ "$mode" = all ]; then
  rm -rf "$dst"/* "$dst"/.[!.]* "$dst"/..?*
  if [ -d "$src" ]; then cp -a "$src/." "$dst/"; fi
  exit 0
fi
for p in "$@"; do
  rm -rf "$dst/$p"
  if [ -e "$src/$p" ] || [ -L "$src/$p" ]; then
    mkdir -p "$(dirname "$dst/$p")"
    cp -a "$src/$p" "$dst/$p"
  fi
done`

const pathArgs = (key: string, paths: VolumePaths): string[] =>
  paths === 'all' ? [key, 'all'] : [key, 'paths', ...paths]

/** Stages the volumes a service owns; returns the selected paths that did not exist. */
async function stageVolumes(
  helper: HelperContainer,
  volumes: readonly VolumeSelection[],
  options: BackupOptions,
): Promise<string[]> {
  const missing: string[] = []
  for (const volume of volumes) {
    const output = await helperScript(
      helper,
      `copying volume ${volume.key} out`,
      STAGE_SCRIPT,
      pathArgs(volume.key, volume.paths),
      { ...options, code: 'CCCI_BACKUP_COPY' },
    )
    for (const line of output.split('\n')) {
      if (line.startsWith('missing: ')) {
        missing.push(`${volume.key}/${line.slice('missing: '.length)}`)
      }
    }
  }
  return missing
}

/** Pre-hook, staging, post-hook for each backed-up service (post-hook best effort on failure). */
async function stageServices(
  app: AppRef,
  plan: BackupPlan,
  helper: HelperContainer,
  options: BackupOptions,
): Promise<string[]> {
  const staged = new Set<string>()
  const missing: string[] = []
  for (const service of plan.services) {
    const { backupPre, backupPost } = service.hooks
    if (backupPre !== undefined) {
      await runHook(app, service.service, 'backupPre', backupPre, options)
    }
    const owned = plan.volumes.filter(
      (v) => service.volumes.some((s) => s.key === v.key) && !staged.has(v.key),
    )
    try {
      missing.push(...(await stageVolumes(helper, owned, options)))
      owned.forEach((v) => staged.add(v.key))
    } catch (error) {
      if (backupPost !== undefined) {
        await runHook(app, service.service, 'backupPost', backupPost, options).catch(
          (hookError: unknown) =>
            options.log.warn(`post-hook after a failed copy: ${describeError(hookError)}`),
        )
      }
      throw error
    }
    if (backupPost !== undefined) {
      await runHook(app, service.service, 'backupPost', backupPost, options)
    }
  }
  return missing
}

/** Rejects with `fail()` when `work` takes longer than `ms`. */
async function withDeadline<T>(work: Promise<T>, ms: number, fail: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(fail()), ms)
  })
  work.catch(() => undefined)
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}

function copyTimeout(what: string, ms: number): CcciError {
  return new CcciError('CCCI_BACKUP_TIMEOUT', `${what} did not finish within ${ms / 1000}s`, {
    hint: 'the volumes may be very large or the Docker engine stuck; raise timeouts.copyMs or check `docker ps`',
  })
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

/** `<volume-key>/<path>` of every non-directory entry under `stage/`. */
async function archivedFiles(path: string): Promise<string[]> {
  return (await listTarGz(path))
    .filter((e) => e.type !== 'directory' && e.name.startsWith('stage/'))
    .map((e) => e.name.slice('stage/'.length))
    .sort()
}

function describeSelection(volumes: readonly VolumeSelection[]): string {
  return volumes
    .map(
      (v) => `${v.key} (${v.volume}): ${v.paths === 'all' ? 'whole volume' : v.paths.join(', ')}`,
    )
    .join('\n')
}

function writeJsonAtomic(path: string, value: unknown): void {
  writeFileSync(`${path}.partial`, `${JSON.stringify(value, null, 2)}\n`)
  renameSync(`${path}.partial`, path)
}

/**
 * Backs up a deployed app following its backupbot labels: for each backed-up service, its
 * pre-hook, a copy of the selected volume paths, its post-hook; the copies become
 * `<backupDir>/<id>.tar.gz` with a `<id>.json` manifest.
 */
export async function createBackup(app: AppRef, options: BackupOptions): Promise<BackupArtifact> {
  const { plan } = await readBackupPlan(app)
  plan.warnings.forEach((w) => options.log.warn(w))
  if (plan.services.length === 0) {
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
  const missing = await withVolumeHelper(app, 'backup', plan.volumes, options, async (helper) => {
    const absent = await stageServices(app, plan, helper, options)
    await writeArchive(helper, archive, options)
    return absent
  })
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
  }
  writeJsonAtomic(manifestPath(dir, id), manifest)
  options.log.info(`backup ${id}: ${files.length} file(s), ${manifest.sizeBytes} bytes`)
  return toArtifact(dir, manifest)
}

/** Checks the archive is intact and holds what its manifest says. */
async function verifyArchive(dir: string, manifest: BackupManifest): Promise<void> {
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
  for (const target of targets) {
    await helperScript(
      helper,
      `restoring volume ${target.key}`,
      RESTORE_SCRIPT,
      pathArgs(target.key, target.paths),
      { ...options, code: 'CCCI_RESTORE_COPY' },
    )
  }
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
  for (const service of plan.services) {
    if (service.hooks.restorePre !== undefined) {
      await runHook(app, service.service, 'restorePre', service.hooks.restorePre, options)
    }
  }
  await withVolumeHelper(app, 'restore', targets, options, (helper) =>
    restoreVolumes(helper, archivePath(dir, manifest.id), targets, options),
  )
  for (const service of plan.services) {
    if (service.hooks.restorePost !== undefined) {
      await runHook(app, service.service, 'restorePost', service.hooks.restorePost, options)
    }
  }
}
