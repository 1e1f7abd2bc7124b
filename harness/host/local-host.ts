import { existsSync, readFileSync, rmSync } from 'node:fs'
import type { Settings } from '../config/settings.ts'
import {
  BUSYBOX_IMAGE,
  checkDockerCli,
  createOverlayNetwork,
  engineInfo,
  inspectImage,
  inspectService,
  listNetworks,
  listServices,
  removeImage,
  removeObject,
  removeService,
  swarmInit,
  swarmLeave,
  type EngineInfo,
} from '../docker/index.ts'
import type { Logger } from '../log.ts'
import { sleep } from '../poll.ts'
import { CADDY_IMAGE, ensureBaseImages } from './base-images.ts'
import { ensureEngine, ensurePackages } from './engine-setup.ts'
import {
  HOST_LABEL,
  PROXY_NETWORK,
  PROXY_SERVICE,
  ensureProxyService,
  syncProxyRoutes,
} from './proxy-service.ts'
import { ensureTls, tlsPaths, type HostTls } from './tls.ts'
import {
  ensureSsoService,
  removeSsoService,
  SSO_IMAGE,
  SSO_SERVICE,
} from '../sso-double/sso-service.ts'
import { NODE_IMAGE } from './node-image.ts'

export interface HostUpReport {
  installed: string[]
  engine: EngineInfo
  dockerCli: string
  swarm: 'initialised' | 'active'
  network: 'created' | 'present'
  images: Record<string, 'built' | 'present'>
  proxy: 'created' | 'present'
  /** The local SSO stand-in (docs/dependencies.md), with the local proxy only. */
  sso: 'created' | 'present' | 'none'
  routes: number
  tls: HostTls
}

/** Brings the local host up: engine, swarm, `proxy` network, TLS, base images, HTTPS proxy. Idempotent. */
export async function hostUp(settings: Settings, log: Logger): Promise<HostUpReport> {
  const installed = await ensurePackages(log)
  // Before anything else starts: an old docker CLI would fail in the middle of a run.
  const dockerCli = await checkDockerCli()
  const engine = await ensureEngine(settings.home, log)
  let swarm: HostUpReport['swarm'] = 'active'
  if (engine.swarm !== 'active') {
    log.step('initialising a single-node swarm')
    await swarmInit()
    swarm = 'initialised'
  }
  let network: HostUpReport['network'] = 'present'
  if ((await listNetworks({ name: PROXY_NETWORK })).every((n) => n.name !== PROXY_NETWORK)) {
    log.step(`creating the ${PROXY_NETWORK} overlay network`)
    await createOverlayNetwork(PROXY_NETWORK, { [HOST_LABEL]: 'network' })
    network = 'created'
  }
  const tls = await ensureTls(settings.home, settings.domainSuffix)
  log.step('checking base images (built locally, no registry)')
  const images = await ensureBaseImages()
  let proxy: HostUpReport['proxy'] = 'present'
  let routes = 0
  let sso: HostUpReport['sso'] = 'none'
  if (settings.proxy === 'local') {
    proxy = await ensureProxyService(settings.proxyPort)
    log.step('checking the local SSO stand-in (Keycloak realms for recipes with deps)')
    sso = await ensureSsoService(settings)
    log.step(`syncing proxy routes (https://*.${settings.domainSuffix}:${settings.proxyPort})`)
    routes = (await syncProxyRoutes(tls)).routes.length
  }
  return {
    installed,
    engine: await engineInfo(),
    dockerCli,
    swarm,
    network,
    images,
    proxy,
    sso,
    routes,
    tls,
  }
}

export interface HostStatus {
  engine: EngineInfo
  network: boolean
  tls: { caFile: string; suffix: string } | undefined
  images: Record<string, boolean>
  proxy: { present: boolean; image?: string; port?: number }
  routedServices: number
  ready: boolean
}

export async function hostStatus(settings: Settings): Promise<HostStatus> {
  const engine = await engineInfo()
  const paths = tlsPaths(settings.home)
  const tls = existsSync(paths.certFile)
    ? { caFile: paths.caFile, suffix: paths.suffix }
    : undefined
  if (!engine.reachable) {
    return {
      engine,
      network: false,
      tls,
      images: {},
      proxy: { present: false },
      routedServices: 0,
      ready: false,
    }
  }
  // Independent questions: asked at once (the run's preflight waits for them).
  const [networks, busybox, caddy, service, routed] = await Promise.all([
    listNetworks({ name: PROXY_NETWORK }),
    inspectImage(BUSYBOX_IMAGE),
    inspectImage(CADDY_IMAGE),
    inspectService(PROXY_SERVICE),
    listServices({ labels: { 'traefik.enable': true } }),
  ])
  const network = networks.some((n) => n.name === PROXY_NETWORK)
  const images = {
    [BUSYBOX_IMAGE]: busybox !== undefined,
    [CADDY_IMAGE]: caddy !== undefined,
  }
  const proxy =
    service === undefined
      ? { present: false }
      : { present: true, image: service.image, port: service.publishedPorts[0]?.published }
  const routedServices = routed.length
  const ready =
    engine.swarm === 'active' &&
    network &&
    tls?.suffix === settings.domainSuffix &&
    Object.values(images).every(Boolean) &&
    (settings.proxy === 'external' || proxy.present)
  return { engine, network, tls, images, proxy, routedServices, ready }
}

/** Removes what `host up` created. Docker itself, and apps, are left alone. */
export async function hostDown(
  settings: Settings,
  options: { all: boolean; leaveSwarm: boolean },
  log: Logger,
): Promise<string[]> {
  const removed: string[] = []
  const engine = await engineInfo()
  if (!engine.reachable) {
    log.warn('no Docker engine answers; nothing to remove there')
  } else {
    if (await removeService(PROXY_SERVICE)) {
      removed.push(`service ${PROXY_SERVICE}`)
    }
    if (await removeSsoService()) {
      removed.push(`service ${SSO_SERVICE}`)
    }
    const network = (await listNetworks({ name: PROXY_NETWORK })).find(
      (n) => n.name === PROXY_NETWORK,
    )
    if (network !== undefined && network.labels[HOST_LABEL] === 'network') {
      await sleep(2_000)
      try {
        await removeObject(network)
        removed.push(`network ${PROXY_NETWORK}`)
      } catch (error) {
        log.warn(`kept network ${PROXY_NETWORK}: it is still in use (${String(error)})`)
      }
    }
    if (options.all) {
      for (const image of [BUSYBOX_IMAGE, CADDY_IMAGE, SSO_IMAGE, NODE_IMAGE]) {
        await removeImage(image).catch((error: unknown) => log.warn(String(error)))
        removed.push(`image ${image}`)
      }
    }
    if (options.leaveSwarm && engine.swarm === 'active') {
      await swarmLeave()
      removed.push('swarm membership')
    }
  }
  if (options.all) {
    rmSync(tlsPaths(settings.home).dir, { recursive: true, force: true })
    removed.push('local CA and certificate')
  }
  return removed
}

/** The local CA in PEM, to trust app URLs; undefined when the host has none. */
export function hostCa(settings: Settings): string | undefined {
  const file = settings.caFile ?? tlsPaths(settings.home).caFile
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined
}
