import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { loadSettings } from '../../harness/config/settings.ts'
import {
  BUSYBOX_IMAGE,
  deployStack,
  listContainers,
  listNetworks,
  listVolumes,
  removeObject,
  removeStack,
  STACK_NAMESPACE_LABEL,
} from '../../harness/docker/index.ts'
import { waitForStackGone } from '../../harness/docker/stack-gone.ts'
import { ownerLabels } from '../../harness/janitor/owner-labels.ts'
import { pollUntil } from '../../harness/poll.ts'

/**
 * The teardown's undeploy discards the run's containers instead of waiting for Swarm to stop
 * them: a task whose process ignores SIGTERM, with a stop grace period of two minutes, is gone
 * long before that, and the stack's volume can be removed right after.
 */

const suffix = randomBytes(3).toString('hex')
const stack = `ccci-gone-${suffix}`
const work = mkdtempSync(join(tmpdir(), 'ccci-stack-gone-'))
const labels = ownerLabels(`test-stack-gone-${suffix}`, 'stack-gone', loadSettings().home)
const filter = { labels: { [STACK_NAMESPACE_LABEL]: stack } }

afterAll(async () => {
  await removeStack(stack).catch(() => undefined)
  rmSync(work, { recursive: true, force: true })
})

test(
  'with discard, a stack whose task ignores SIGTERM is gone without its grace period',
  { timeout: 90_000 },
  async () => {
    const labelLines = Object.entries(labels).map(([k, v]) => `        ${k}: "${v}"`)
    writeFileSync(
      join(work, 'compose.yml'),
      [
        'version: "3.8"',
        'services:',
        '  app:',
        `    image: ${BUSYBOX_IMAGE}`,
        // sleep as PID 1 ignores SIGTERM: Swarm would wait the whole grace period, then kill it.
        '    command: ["sleep", "3600"]',
        '    stop_grace_period: 120s',
        '    volumes: [data:/data]',
        '    deploy:',
        '      labels:',
        ...labelLines,
        'volumes:',
        '  data:',
        '    labels:',
        ...labelLines.map((l) => l.slice(2)),
        '',
      ].join('\n'),
    )
    await deployStack(stack, ['compose.yml'], { cwd: work, env: { PATH: process.env.PATH ?? '' } })
    const started = await pollUntil(
      async () =>
        (await listContainers(filter)).length === 1 ? undefined : 'no task container yet',
      { timeoutMs: 60_000, intervalMs: 250 },
    )
    expect(started).toBeUndefined()
    await removeStack(stack)
    // Within the test's 90 s, well short of the 120 s Swarm would wait for this task to stop.
    await waitForStackGone(stack, 60_000, 'docker stack rm', { discard: true })
    expect(await listContainers(filter)).toEqual([])
    const [volume] = (await listVolumes()).filter((v) => v.name === `${stack}_data`)
    expect(volume).toBeDefined()
    await removeObject(volume!)
    // The stack's network goes on its own, a few seconds later.
    const network = await pollUntil(
      async () => (await listNetworks(filter)).map((n) => n.name).join(', ') || undefined,
      { timeoutMs: 30_000, intervalMs: 250 },
    )
    expect(network).toBeUndefined()
  },
)
