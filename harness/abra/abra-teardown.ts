import { existsSync } from 'node:fs'
import type { AppRef, UndeployOptions } from '../driver/app-driver.ts'
import {
  removeObject,
  STACK_NAMESPACE_LABEL,
  stackServices,
  stackVolumes,
  type DockerObject,
} from '../docker/index.ts'
import { waitForStackGone } from '../docker/stack-gone.ts'
import { appSecrets } from '../coop/app-secrets.ts'
import { CcciError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { pollRounds } from '../poll.ts'
import type { AbraCli } from './abra-cli.ts'
import { appListed } from './app-listed.ts'
import { abraError } from './run-abra.ts'

/** Taking an app down through abra, and removing what abra leaves of it. */

/** `abra app undeploy`, then the stack gone (abra returns before Swarm has removed it). */
export async function undeployAbraApp(
  cli: AbraCli,
  app: AppRef,
  options: UndeployOptions,
): Promise<void> {
  if (!existsSync(app.envFile)) {
    // abra knows an app only by its env file: without it, it cannot undeploy anything.
    const services = await stackServices(app.stack)
    if (services.length > 0) {
      throw new CcciError(
        'CCCI_ABRA_NO_ENV',
        `${app.stack} is deployed but ${app.envFile} is gone, so abra cannot undeploy it`,
        {
          hint: `\`docker stack rm ${app.stack}\` removes it; \`./ccci janitor\` reaps leftovers`,
        },
      )
    }
    return
  }
  if ((await appListed(cli, app)).deployed) {
    await cli.run(app, ['app', 'undeploy', app.domain, '--no-input'], {
      timeoutMs: cli.timeouts.undeploy,
      progress: true,
    })
  }
  await waitForStackGone(app.stack, cli.timeouts.undeploy, '`abra app undeploy`', options)
}

/** Removes what abra left of the app (with a warning): the teardown must leave nothing. */
async function sweep(log: Logger, kind: string, left: readonly DockerObject[]): Promise<void> {
  if (left.length === 0) {
    return
  }
  log.warn(`abra left ${kind} ${left.map((o) => o.name).join(', ')}; cc-ci removes them`)
  for (const object of left) {
    await removeObject(object)
  }
}

/** `abra app volume remove`, then whatever volume of the stack it left; returns their names. */
export async function removeAbraVolumes(cli: AbraCli, app: AppRef, log: Logger): Promise<string[]> {
  const list = () => stackVolumes(app.stack)
  const before = await list()
  if (before.length === 0) {
    return []
  }
  if (existsSync(app.envFile)) {
    // Containers that just stopped may still hold a volume for a moment: retry a little.
    for await (const round of pollRounds({ timeoutMs: 30_000, intervalMs: 2_000 })) {
      const result = await cli.call(app, [
        'app',
        'volume',
        'remove',
        app.domain,
        '--force',
        '--no-input',
      ])
      if (!result.timedOut && result.exitCode === 0) {
        break
      }
      if (round.expired()) {
        throw abraError(result, {
          hint: `a container may still use a volume: \`docker ps -a --filter label=${STACK_NAMESPACE_LABEL}=${app.stack}\``,
        })
      }
    }
  }
  await sweep(log, 'volumes', await list())
  return before.map((v) => v.name).sort()
}

/** `abra app secret remove --all`, then every version it left; returns their names. */
export async function removeAbraSecrets(cli: AbraCli, app: AppRef, log: Logger): Promise<string[]> {
  const list = () => appSecrets(app.stack)
  const before = await list()
  if (before.length === 0) {
    return []
  }
  if (existsSync(app.envFile)) {
    await cli.run(app, ['app', 'secret', 'remove', app.domain, '--all', '--no-input'], {
      secretOutput: true,
    })
  }
  // abra removes the versions named in the env only: earlier versions stay.
  await sweep(log, 'secrets', await list())
  return before.map((s) => s.name).sort()
}
