import { existsSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { loadSettings } from '../../harness/config/settings.ts'
import {
  listConfigs,
  listContainers,
  listNetworks,
  listSecrets,
  listServices,
  listVolumes,
} from '../../harness/docker/index.ts'
import { runningProxyContainer } from '../../harness/host/proxy-service.ts'
import { runCommand } from '../../harness/process/index.ts'

/**
 * Everything of this host a run could leave behind, one line each: every swarm service, volume,
 * secret, config, network and container (labelled or not), every file under cc-ci's leases, runs
 * and env-file folders, and every host the local proxy routes. Results and source caches are
 * kept on purpose and are not in it.
 */
export async function hostSnapshot(): Promise<string[]> {
  const settings = loadSettings()
  const objects = (
    await Promise.all([
      listServices().then((list) => list.map((s) => `service ${s.name}`)),
      ...[listVolumes, listSecrets, listConfigs, listNetworks, listContainers].map(async (list) =>
        (await list()).map((o) => `${o.kind} ${o.name}`),
      ),
    ])
  ).flat()
  const files = [join(settings.home, 'leases'), join(settings.home, 'runs'), settings.abraDir]
    .flatMap((dir) => filesUnder(dir))
    .map((file) => `file ${relative(settings.home, file)}`)
  return [...objects, ...files, ...(await proxiedHosts()).map((h) => `route ${h}`)].sort()
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) {
    return []
  }
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name))
}

/** The hosts in the local proxy's live route table. */
async function proxiedHosts(): Promise<string[]> {
  const container = await runningProxyContainer()
  if (container === undefined) {
    return []
  }
  // The proxy image has no shell: copy the file out as a tar and unpack it on this side.
  const read = await runCommand(
    'sh',
    ['-c', 'docker cp "$1":/etc/caddy/config.json - | tar -xO', 'sh', container],
    { timeoutMs: 20_000 },
  )
  const hosts = new Set<string>()
  for (const match of read.stdout.matchAll(/"host":\s*\[([^\]]*)\]/g)) {
    for (const host of (match[1] ?? '').matchAll(/"([^"]+)"/g)) {
      hosts.add(host[1] ?? '')
    }
  }
  return [...hosts]
}

/** What `after` has that `before` had not (left behind), and what it lost (touched). */
export function snapshotDiff(
  before: readonly string[],
  after: readonly string[],
): { added: string[]; removed: string[] } {
  const had = new Set(before)
  const has = new Set(after)
  return {
    added: after.filter((line) => !had.has(line)),
    removed: before.filter((line) => !has.has(line)),
  }
}
