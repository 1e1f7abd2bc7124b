import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { AppRef, BackupArtifact } from '../driver/app-driver.ts'
import { CcciError } from '../errors.ts'
import type { Logger } from '../log.ts'
import type { AbraCli } from './abra-cli.ts'
import { deployedBackupPlan } from '../coop/deployed-backup-plan.ts'
import { archiveContents } from './backup-archive.ts'
import { abraError } from './run-abra.ts'
import { parseSnapshots, saysNoSnapshots, SnapshotSchema, type Snapshot } from './snapshots.ts'

/** Backups through abra and backup-bot-two (`abra app backup`, `abra app restore`). */

async function snapshots(cli: AbraCli, app: AppRef): Promise<Snapshot[]> {
  const result = await cli.call(app, ['app', 'backup', 'snapshots', app.domain, '--no-input'], {
    timeoutMs: cli.timeouts.backup,
  })
  if (result.timedOut || result.exitCode !== 0) {
    if (!result.timedOut && saysNoSnapshots(result.output)) {
      return []
    }
    throw abraError(result, {
      hint: 'is backup-bot-two deployed on this server (`abra app ls -r backup-bot-two`)?',
    })
  }
  return parseSnapshots(result.output)
}

/**
 * `app backup create`, then the new snapshot found by listing snapshots before and after (the
 * output of `create` is no contract), downloaded into the backup folder so the artifact
 * can be inspected: which volumes and files it holds, and its size. The warnings of the
 * deployed labels' plan (cc-ci reads them as backup-bot-two should) are logged and kept.
 */
export async function createAbraBackup(
  cli: AbraCli,
  app: AppRef,
  backupDir: string,
  log: Logger,
): Promise<BackupArtifact> {
  const { warnings } = await deployedBackupPlan(app)
  warnings.forEach((w) => log.warn(w))
  const before = new Set((await snapshots(cli, app)).map((s) => s.id))
  log.step(`backing up ${app.domain} with abra`)
  await cli.run(app, ['app', 'backup', 'create', app.domain, '--no-input'], {
    timeoutMs: cli.timeouts.backup,
    progress: true,
    code: 'CCCI_ABRA_BACKUP_FAILED',
    what: `backup of ${app.domain} failed (abra)`,
    hint: "abra's output says which hook or volume failed; the recipe's backupbot labels select what is backed up",
  })
  const after = await snapshots(cli, app)
  const fresh = after.filter((s) => !before.has(s.id))
  const snapshot = fresh.at(-1)
  if (snapshot === undefined) {
    throw new CcciError(
      'CCCI_ABRA_BACKUP_NO_SNAPSHOT',
      `\`abra app backup create ${app.domain}\` succeeded but no new snapshot is listed`,
      {
        evidence: [{ label: 'snapshots now', text: after.map((s) => s.id).join('\n') }],
        hint: 'check backup-bot-two: `abra app backup snapshots <domain>` should list the new one',
      },
    )
  }
  return { ...(await download(cli, app, snapshot.id, backupDir, log)), warnings }
}

async function download(
  cli: AbraCli,
  app: AppRef,
  id: string,
  backupDir: string,
  log: Logger,
): Promise<Omit<BackupArtifact, 'warnings'>> {
  const dir = backupDir
  mkdirSync(dir, { recursive: true })
  const scratch = mkdtempSync(join(dir, '.download-'))
  try {
    await cli.run(app, ['app', 'backup', 'download', app.domain, '-s', id, '--no-input'], {
      cwd: scratch,
      timeoutMs: cli.timeouts.backup,
    })
    const archives = readdirSync(scratch).filter((f) => /\.(tar\.gz|tgz)$/.test(f))
    const archive = archives[0]
    if (archive === undefined || archives.length > 1) {
      throw new CcciError(
        'CCCI_ABRA_BACKUP_DOWNLOAD',
        `\`abra app backup download\` of snapshot ${id} left ${archives.length} archives, expected one`,
        {
          evidence: [{ label: 'files', text: readdirSync(scratch).join('\n') }],
          hint: 'this abra downloads backups another way than cc-ci knows; see docs/drivers.md',
        },
      )
    }
    const location = join(dir, `${id}.tar.gz`)
    renameSync(join(scratch, archive), location)
    const contents = await archiveContents(location, app.stack)
    if (contents.files.length === 0) {
      throw new CcciError('CCCI_BACKUP_EMPTY', `the backup ${id} of ${app.domain} holds no files`, {
        evidence: [{ label: 'archive', text: location }],
        hint: 'did the pre-hook write its dump? Check the backupbot.backup.volumes.<volume>.path labels against what the volumes hold',
      })
    }
    log.info(`backup ${id}: ${contents.files.length} file(s), ${contents.sizeBytes} bytes`)
    return { id, location, ...contents }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

export async function restoreAbraBackup(
  cli: AbraCli,
  app: AppRef,
  artifactId: string,
  log: Logger,
): Promise<void> {
  const id = SnapshotSchema.shape.id.safeParse(artifactId)
  if (!id.success) {
    throw new CcciError(
      'CCCI_BACKUP_NOT_FOUND',
      `${JSON.stringify(artifactId)} is no snapshot id`,
      {
        hint: 'restore the id the backup returned',
      },
    )
  }
  log.step(`restoring ${artifactId} into ${app.domain} with abra`)
  await cli.run(app, ['app', 'restore', app.domain, '-s', id.data, '--no-input'], {
    timeoutMs: cli.timeouts.backup,
    progress: true,
    code: 'CCCI_ABRA_RESTORE_FAILED',
    what: `restore of ${artifactId} into ${app.domain} failed (abra)`,
    hint: "abra's output says which hook or volume failed",
  })
}
