import { execInContainer, type HelperContainer, type VolumeHelperOptions } from '../docker/index.ts'
import type { ErrorCode } from '../error-codes.ts'
import type { AppRef } from '../driver/app-driver.ts'
import { CcciError, isCcciError, tail } from '../errors.ts'
import { formatCommand } from '../process/index.ts'
import type { BackupHooks } from '../coop/backupbot-labels.ts'
import { runningContainer } from './service-container.ts'

/**
 * The steps of the swarm driver's backups: backupbot hooks run in the services' containers,
 * scripts run in the volume helper (harness/docker/volume-helper.ts), and their deadlines.
 */

/** Where backups go and who owns the helper containers. */
export interface BackupOptions extends VolumeHelperOptions {
  /** Folder of the artifacts: `<id>.tar.gz` and its `<id>.json` manifest. */
  backupDir: string
  /** Deadlines: each hook (default 5 min) and each copy step (default 10 min). */
  timeouts?: { hookMs?: number; copyMs?: number }
}

export const DEFAULT_HOOK_MS = 300_000
export const DEFAULT_COPY_MS = 600_000

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

/** Runs a shell script in the helper (arguments as $1...); a failure carries its output. */
export async function helperScript(
  helper: HelperContainer,
  what: string,
  script: string,
  args: readonly string[],
  options: BackupOptions & { code: ErrorCode },
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

/**
 * One shell script that defines the function `name` (`definition`) and calls it once per entry of
 * `calls`, each argument passed as a positional parameter, never spliced into the script: one exec
 * in the helper does the work of several. `set -e` stops it at the first failure.
 */
export function batchScript(
  definition: string,
  name: string,
  calls: readonly (readonly string[])[],
): { script: string; args: string[] } {
  const args: string[] = []
  const lines = calls.map((call) =>
    [
      name,
      ...call.map((arg) => {
        args.push(arg)
        return `"\${${args.length}}"`
      }),
    ].join(' '),
  )
  return { script: ['set -e', definition, ...lines].join('\n'), args }
}

export function copyTimeout(what: string, ms: number): CcciError {
  return new CcciError('CCCI_BACKUP_TIMEOUT', `${what} did not finish within ${ms / 1000}s`, {
    hint: 'the volumes may be very large or the Docker engine stuck; raise timeouts.copyMs or check `docker ps`',
  })
}
