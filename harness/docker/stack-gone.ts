import { listContainers, listNetworks, STACK_NAMESPACE_LABEL, stackServices } from './index.ts'
import { CcciError } from '../errors.ts'
import { pollRounds } from '../poll.ts'

/**
 * Waits until no service, container or network of a stack is left (stack removal returns before
 * swarm has stopped the tasks); throws naming what remains at the deadline.
 */
export async function waitForStackGone(
  stack: string,
  timeoutMs: number,
  after: string,
): Promise<void> {
  for await (const round of pollRounds({ timeoutMs, intervalMs: 1_000 })) {
    const filter = { labels: { [STACK_NAMESPACE_LABEL]: stack } }
    const left = [
      ...(await stackServices(stack)),
      ...(await listContainers(filter)),
      ...(await listNetworks(filter)),
    ].map((o) => o.name)
    if (left.length === 0) {
      return
    }
    if (round.expired()) {
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
