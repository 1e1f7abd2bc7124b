import { randomBytes } from 'node:crypto'
import {
  execInContainer,
  listVolumes,
  stackServices,
  startHelper,
  type HelperContainer,
} from '../docker/index.ts'
import type { AppRef } from '../driver/app-driver.ts'
import { CcciError, describeError, isCcciError, tail } from '../errors.ts'
import { BUSYBOX_IMAGE } from '../host/base-images.ts'
import type { Logger } from '../log.ts'
import { formatCommand } from '../process/index.ts'
import {
  backupPlan,
  volumeKey,
  type BackupHooks,
  type BackupPlan,
} from '../coop/backupbot-labels.ts'
import { runningContainer } from './service-container.ts'

/**
 * Backup plumbing of the swarm driver: the plan read from the deployed stack, backupbot hooks run
 * in the services' containers, and the short-lived busybox helper that reads and writes volumes.
 */

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
export const HELPER_STACK_LABEL = 'cc-ci.stack'
export const DEFAULT_HOOK_MS = 300_000
export const DEFAULT_COPY_MS = 600_000

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

export type HookKind = keyof BackupHooks
const HOOK_LABELS: Record<HookKind, string> = {
  backupPre: 'backupbot.backup.pre-hook',
  backupPost: 'backupbot.backup.post-hook',
  restorePre: 'backupbot.restore.pre-hook',
  restorePost: 'backupbot.restore.post-hook',
}

/** Runs a backupbot hook with `sh -c` in a running container of the service. */
export async function runHook(
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
  const command = formatCommand('docker', ['exec', container.slice(0, 12), 'sh', '-c', hook])
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
export async function startVolumeHelper(
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
export async function helperScript(
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

/** Rejects with `fail()` when `work` takes longer than `ms`. */
export async function withDeadline<T>(work: Promise<T>, ms: number, fail: () => Error): Promise<T> {
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

export function copyTimeout(what: string, ms: number): CcciError {
  return new CcciError('CCCI_BACKUP_TIMEOUT', `${what} did not finish within ${ms / 1000}s`, {
    hint: 'the volumes may be very large or the Docker engine stuck; raise timeouts.copyMs or check `docker ps`',
  })
}
