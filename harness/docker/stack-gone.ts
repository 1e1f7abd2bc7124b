import {
  listContainers,
  listNetworks,
  removeObject,
  STACK_NAMESPACE_LABEL,
  stackServices,
} from './index.ts'
import { CcciError } from '../errors.ts'
import { pollRounds } from '../poll.ts'

/** How often the removal is polled: it ends when Swarm has stopped the last task, any moment. */
export const STACK_GONE_POLL_MS = 250

/**
 * Waits until no service, container or network of a stack is left (stack removal returns before
 * swarm has stopped the tasks); throws naming what remains at the deadline. With `discard`, once
 * the services are gone their containers are removed at once (Swarm takes seconds to stop each
 * task, gracefully, which only data that is kept needs), and the networks are not waited for:
 * Docker removes them a few seconds later, whoever waits.
 */
export async function waitForStackGone(
  stack: string,
  timeoutMs: number,
  after: string,
  options: { discard?: boolean } = {},
): Promise<void> {
  const filter = { labels: { [STACK_NAMESPACE_LABEL]: stack } }
  const discard = options.discard === true
  for await (const round of pollRounds({ timeoutMs, intervalMs: STACK_GONE_POLL_MS })) {
    // The containers go last (Swarm stops the tasks after the services are removed): while any is
    // left, one request a round; then the services and networks, to be sure.
    const expired = round.expired()
    let containers = await listContainers(filter)
    if (discard && containers.length > 0 && (await stackServices(stack)).length === 0) {
      await Promise.all(containers.map((c) => removeObject(c)))
      containers = await listContainers(filter)
    }
    const lists =
      containers.length > 0 && !expired
        ? [containers]
        : [
            containers,
            ...(await Promise.all([
              stackServices(stack),
              discard ? Promise.resolve([]) : listNetworks(filter),
            ])),
          ]
    const left = lists.flat().map((o) => o.name)
    if (left.length === 0) {
      return
    }
    if (expired) {
      throw new CcciError(
        'CCCI_UNDEPLOY_TIMEOUT',
        `${stack} still has ${left.join(', ')} ${Math.round(timeoutMs / 1000)}s after ${after}`,
        {
          hint: 'check `docker ps -a` for containers that do not stop; `./ccci janitor` retries the cleanup',
        },
      )
    }
  }
}
