import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packEntries } from '../archive/tar.ts'
import {
  containerRunning,
  createService,
  execInContainer,
  inspectService,
  listContainers,
  listServices,
  putArchive,
  removeService,
  STACK_NAMESPACE_LABEL,
} from '../docker/index.ts'
import { CcciError } from '../errors.ts'
import { pollUntil } from '../poll.ts'
import { withLock } from '../files/file-lock.ts'
import { caddyConfig } from '../proxy/caddy-config.ts'
import { confineRoutes } from '../proxy/route-confinement.ts'
import { traefikRoutes, type ProxyRoute, type RouteProblem } from '../proxy/traefik-routes.ts'
import { CADDY_IMAGE } from './base-images.ts'
import type { HostTls } from './tls.ts'

export const PROXY_SERVICE = 'ccci-proxy'
export const PROXY_NETWORK = 'proxy'
export const HOST_LABEL = 'cc-ci.host'
const INSIDE_PORT = 443

/** Creates the HTTPS proxy service, or recreates it when its image or port changed. */
export async function ensureProxyService(port: number): Promise<'created' | 'present'> {
  const existing = await inspectService(PROXY_SERVICE)
  const published = existing?.publishedPorts[0]
  if (existing !== undefined && existing.image === CADDY_IMAGE && published?.published === port) {
    return 'present'
  }
  if (existing !== undefined) {
    await removeService(PROXY_SERVICE)
    await pollUntil(
      async () => ((await runningProxyContainer()) === undefined ? undefined : 'running'),
      {
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    )
  }
  await createService({
    Name: PROXY_SERVICE,
    Labels: { [HOST_LABEL]: 'proxy' },
    TaskTemplate: {
      ContainerSpec: { Image: CADDY_IMAGE, Labels: { [HOST_LABEL]: 'proxy' } },
      Networks: [{ Target: PROXY_NETWORK }],
      RestartPolicy: { Condition: 'any', Delay: 1_000_000_000 },
    },
    Mode: { Replicated: { Replicas: 1 } },
    EndpointSpec: {
      Mode: 'dnsrr',
      Ports: [
        { Protocol: 'tcp', TargetPort: INSIDE_PORT, PublishedPort: port, PublishMode: 'host' },
      ],
    },
  })
  return 'created'
}

export async function runningProxyContainer(): Promise<string | undefined> {
  const containers = await listContainers({
    labels: { 'com.docker.swarm.service.name': PROXY_SERVICE },
  })
  const ids = await Promise.all(
    containers.map(async (c) => ((await isRunning(c.id)) ? c.id : undefined)),
  )
  return ids.find((id) => id !== undefined)
}

async function isRunning(id: string): Promise<boolean> {
  return containerRunning(id).catch(() => false)
}

export interface RouteSync {
  routes: ProxyRoute[]
  problems: RouteProblem[]
}

/**
 * Routes every swarm service that carries Traefik labels through the proxy: reads the labels,
 * writes Caddy's config into the proxy container and reloads it. Safe to call concurrently: each
 * call computes the whole route table from Docker.
 */
export async function syncProxyRoutes(tls: HostTls): Promise<RouteSync> {
  // One writer at a time: the route table is computed from Docker, written and reloaded together.
  return withLock(join(tls.dir, '..', 'proxy.lock'), () => writeRoutes(tls), 120_000)
}

async function writeRoutes(tls: HostTls): Promise<RouteSync> {
  const services = await listServices({ labels: { 'traefik.enable': true } })
  const declared = traefikRoutes(services.map((s) => ({ service: s.name, labels: s.labels })))
  const stacks = new Map(services.map((s) => [s.name, s.labels[STACK_NAMESPACE_LABEL]]))
  // A recipe routes only its own app's names: never another run's, never any name at all.
  const confined = confineRoutes(declared.routes, (service) => stacks.get(service))
  const routes = confined.routes
  const problems = [...declared.problems, ...confined.problems]
  const config = caddyConfig({
    routes,
    listenPort: INSIDE_PORT,
    certificatePem: readFileSync(tls.certFile, 'utf8'),
    keyPem: readFileSync(tls.keyFile, 'utf8'),
  })
  let container: string | undefined
  await pollUntil(
    async () =>
      (container = await runningProxyContainer()) === undefined ? 'starting' : undefined,
    { timeoutMs: 60_000, intervalMs: 500 },
  )
  if (container === undefined) {
    throw new CcciError(
      'CCCI_PROXY_DOWN',
      `the ${PROXY_SERVICE} service has no running container`,
      {
        hint: 'run `./ccci host up` and check `docker service ps ccci-proxy`',
      },
    )
  }
  await putArchive(
    container,
    '/etc/caddy',
    packEntries([
      { type: 'file', name: 'config.json', content: JSON.stringify(config, null, 1), mode: 0o600 },
    ]),
  )
  const reload = await execInContainer(
    container,
    ['/bin/caddy', 'reload', '--config', '/etc/caddy/config.json', '--force'],
    { timeoutMs: 30_000 },
  )
  if (reload.exitCode !== 0) {
    throw new CcciError('CCCI_PROXY_RELOAD', 'the proxy refused its new route table', {
      evidence: [{ label: 'caddy reload', text: reload.stderr + reload.stdout }],
      hint: 'a route computed from Traefik labels is invalid; see the error above',
    })
  }
  return { routes, problems }
}
