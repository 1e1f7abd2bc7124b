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

/** The services of a stack as the backup plan sees them: names without the stack, named volumes. */
export function backupInputs(
  stack: string,
  services: readonly Pick<ServiceInfo, 'name' | 'labels' | 'mounts'>[],
): BackupServiceInput[] {
  return services.map((s) => ({
    name: s.name.slice(stack.length + 1),
    labels: s.labels,
    mounts: s.mounts
      .filter((m) => m.type === 'volume' && m.source !== '')
      .map((m) => ({ volume: m.source, target: m.target })),
  }))
}

/** The Docker volume of each compose key the services mount. */
export function mountsByKey(
  stack: string,
  inputs: readonly BackupServiceInput[],
): Map<string, string> {
  return new Map(inputs.flatMap((s) => s.mounts).map((m) => [volumeKey(stack, m.volume), m.volume]))
}

/** A plan as the driver port gives it: capable when any service says `backupbot.backup=true`. */
export function appBackupPlan(plan: BackupPlan): AppBackupPlan {
  return {
    capable: plan.labelled.length > 0,
    services: plan.labelled,
    volumes: plan.volumes,
    warnings: plan.warnings,
  }
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
  const inputs = backupInputs(app.stack, services)
  return { plan: backupPlan(app.stack, inputs), mounts: mountsByKey(app.stack, inputs) }
}

/** The plan as the driver port gives it (`AppDriver.backupPlan`); not capable when nothing is deployed. */
export async function deployedBackupPlan(app: AppRef): Promise<AppBackupPlan> {
  const services = await stackServices(app.stack)
  return appBackupPlan(backupPlan(app.stack, backupInputs(app.stack, services)))
}

/** The Docker volume a service of the deployed app mounts under the compose key `key`. */
export async function mountedVolume(
  app: AppRef,
  key: string,
): Promise<{ key: string; volume: string }> {
  const mounts = mountsByKey(app.stack, backupInputs(app.stack, await stackServices(app.stack)))
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
