import { stackServices, type ServiceInfo } from '../docker/index.ts'
import type { AppBackupPlan, AppRef } from '../driver/app-driver.ts'
import { CcciError } from '../errors.ts'
import {
  backupPlan,
  volumeKey,
  type BackupPlan,
  type BackupServiceInput,
} from './backupbot-labels.ts'

/**
 * The backup plan of what is deployed: the backupbot labels and volume mounts of the stack's
 * services as Docker has them now (an upgrade may have added or dropped labels). Both drivers
 * read it the same way; abra deploys the same labels.
 */

function backupInputs(app: AppRef, services: readonly ServiceInfo[]): BackupServiceInput[] {
  return services.map((s) => ({
    name: s.name.slice(app.stack.length + 1),
    labels: s.labels,
    mounts: s.mounts
      .filter((m) => m.type === 'volume' && m.source !== '')
      .map((m) => ({ volume: m.source, target: m.target })),
  }))
}

function mountsByKey(app: AppRef, inputs: readonly BackupServiceInput[]): Map<string, string> {
  return new Map(
    inputs.flatMap((s) => s.mounts).map((m) => [volumeKey(app.stack, m.volume), m.volume]),
  )
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
  const inputs = backupInputs(app, services)
  return { plan: backupPlan(app.stack, inputs), mounts: mountsByKey(app, inputs) }
}

/** The plan as the driver port gives it (`AppDriver.backupPlan`); not capable when nothing is deployed. */
export async function deployedBackupPlan(app: AppRef): Promise<AppBackupPlan> {
  const plan = backupPlan(app.stack, backupInputs(app, await stackServices(app.stack)))
  return {
    capable: plan.services.length > 0,
    services: plan.services.map((s) => s.service),
    volumes: plan.volumes,
    warnings: plan.warnings,
  }
}

/** The Docker volume a service of the deployed app mounts under the compose key `key`. */
export async function mountedVolume(
  app: AppRef,
  key: string,
): Promise<{ key: string; volume: string }> {
  const mounts = mountsByKey(app, backupInputs(app, await stackServices(app.stack)))
  const volume = mounts.get(key)
  if (volume === undefined) {
    throw new CcciError(
      'CCCI_VOLUME_NOT_MOUNTED',
      `no service of ${app.domain} mounts a volume ${key}`,
      {
        evidence: [{ label: 'volumes mounted now', text: [...mounts.keys()].join('\n') }],
        hint: `name the volume by its compose key (one listed above); is ${app.domain} deployed (\`docker stack services ${app.stack}\`)?`,
      },
    )
  }
  return { key, volume }
}
