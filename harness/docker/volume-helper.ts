import { randomBytes } from 'node:crypto'
import { CcciError, describeError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { startHelper, type HelperContainer } from './containers.ts'
import { listVolumes } from './resources.ts'

/**
 * The short-lived busybox helper container that reads and writes an app's volumes (backups,
 * restores, data markers): no shell is needed in the app's own images.
 */

/** The image of the helper, built from local files by `ccci host up` (harness/host/base-images.ts). */
export const BUSYBOX_IMAGE = 'ccci-local/busybox:1'

/** Labels of the helper containers besides the owner labels. */
export const HELPER_LABEL = 'cc-ci.backup-helper'
export const HELPER_STACK_LABEL = 'cc-ci.stack'

/** What a helper is for: `backup` mounts volumes read-only at /src, the others read-write at /dst. */
export type HelperRole = 'backup' | 'restore' | 'files'

/** The app whose volumes a helper mounts. */
export interface HelperApp {
  domain: string
  stack: string
}

/** Who owns the helper containers, and where a helper left behind is reported. */
export interface VolumeHelperOptions {
  /** Labels put on the helper containers, so the janitor can reap them. */
  ownerLabels: Record<string, string>
  log: Logger
}

/** Starts the busybox helper with the volumes mounted at `/<src|dst>/<key>`; the caller removes it. */
export async function startVolumeHelper(
  app: HelperApp,
  role: HelperRole,
  volumes: readonly { key: string; volume: string }[],
  options: VolumeHelperOptions,
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
 * `meanwhile` (e.g. backupbot pre-hooks) runs while the helper starts, and `work` only once both
 * are done; when either fails, the other is waited for, the helper removed, and the helper's
 * error (else the one of `meanwhile`) thrown.
 */
export async function withVolumeHelper<T>(
  app: HelperApp,
  role: HelperRole,
  volumes: readonly { key: string; volume: string }[],
  options: VolumeHelperOptions,
  work: (helper: HelperContainer) => Promise<T>,
  meanwhile?: () => Promise<void>,
): Promise<T> {
  const [started, before] = await Promise.allSettled([
    startVolumeHelper(app, role, volumes, options),
    meanwhile?.(),
  ])
  const leave = (helper: HelperContainer) =>
    helper
      .remove()
      .catch((removal: unknown) =>
        options.log.warn(`helper left behind: ${describeError(removal)}`),
      )
  if (started.status === 'rejected') {
    throw started.reason
  }
  const helper = started.value
  if (before.status === 'rejected') {
    await leave(helper)
    throw before.reason
  }
  let result: T
  try {
    result = await work(helper)
  } catch (error) {
    await leave(helper)
    throw error
  }
  await helper.remove()
  return result
}
