import type { AppRef } from '../driver/app-driver.ts'
import { containerRunning, listContainers } from '../docker/index.ts'
import { CcciError } from '../errors.ts'

/** A running container of one service of the app (to exec a command or a hook in). */
export async function runningContainer(
  app: AppRef,
  service: string,
  purpose = 'to run a command in',
): Promise<string> {
  const containers = await listContainers({
    labels: { 'com.docker.swarm.service.name': `${app.stack}_${service}` },
  })
  for (const container of containers) {
    if (await containerRunning(container.id).catch(() => false)) {
      return container.id
    }
  }
  throw new CcciError(
    'CCCI_NO_CONTAINER',
    `service ${service} of ${app.domain} has no running container ${purpose}`,
    {
      hint: `is "${service}" a service of the recipe, and is it up? (\`docker service ps ${app.stack}_${service}\`)`,
    },
  )
}
