import { isAbsolute, relative } from 'node:path'
import { z } from 'zod'

/**
 * What a recipe under test may reach of the CI host. A pull request can put anything in a
 * compose file; before anything is deployed, every way out of the containers' own world is found
 * here, on the stack exactly as Docker renders it, and refused unless the recipe's cc-ci config
 * grants that access. Never grantable: files read from outside the recipe and cc-ci's own labels.
 */
export const HOST_ACCESS_KINDS = [
  'docker-socket',
  'bind-mount',
  'privileged',
  'capability',
  'host-network',
  'host-pid',
  'host-ipc',
  'device',
  'published-port',
] as const
export type HostAccessKind = (typeof HOST_ACCESS_KINDS)[number]

/** One grant in recipe.ts `hostAccess`: this service may have this access (`value`: which one). */
export const HostAccessGrantSchema = z.strictObject({
  service: z.string().min(1).describe('the compose service that gets the access'),
  access: z.enum(HOST_ACCESS_KINDS).describe('what kind of host access'),
  value: z
    .string()
    .min(1)
    .optional()
    .describe(
      'exactly which: the bind source path, the capability, the device, the published port; omitted: any of that kind',
    ),
  reason: z.string().min(1).describe('why the recipe needs it (shown in the result)'),
})
export type HostAccessGrant = z.infer<typeof HostAccessGrantSchema>

/** One access a recipe has been granted, as the result records it. */
export interface GrantedAccess {
  service: string
  access: string
  value: string
  reason: string
}

export interface HostAccessFinding {
  /** `service <name>`, `volume <name>`, `config <name>`... */
  where: string
  service: string | undefined
  kind: HostAccessKind | 'file-outside-recipe' | 'owner-label'
  /** The compose key, e.g. `volumes`, `cap_add`, `configs.c1.file`. */
  key: string
  value: string
  grantable: boolean
}

const Labels = z
  .union([z.record(z.string(), z.unknown()), z.array(z.string())])
  .optional()
  .transform((value) =>
    value === undefined
      ? []
      : Array.isArray(value)
        ? value.map((item) => item.split('=')[0] ?? '')
        : Object.keys(value),
  )

const Service = z.looseObject({
  privileged: z.boolean().optional(),
  cap_add: z.array(z.string()).optional(),
  network_mode: z.string().optional(),
  pid: z.string().optional(),
  ipc: z.string().optional(),
  devices: z
    .array(z.union([z.string(), z.looseObject({ source: z.string().optional() })]))
    .optional(),
  networks: z.union([z.array(z.string()), z.record(z.string(), z.unknown())]).optional(),
  ports: z
    .array(
      z.union([
        z.string(),
        z.number(),
        z.looseObject({
          published: z.union([z.number(), z.string()]).optional(),
          mode: z.string().optional(),
        }),
      ]),
    )
    .optional(),
  volumes: z
    .array(
      z.union([
        z.string(),
        z.looseObject({ type: z.string().optional(), source: z.string().optional() }),
      ]),
    )
    .optional(),
  labels: Labels,
  deploy: z.looseObject({ labels: Labels }).optional(),
})

const TopLevel = z
  .looseObject({
    name: z.string().optional(),
    file: z.string().optional(),
    driver: z.string().optional(),
    driver_opts: z.record(z.string(), z.unknown()).optional(),
    labels: Labels,
  })
  .nullable()

/** The fields of a rendered stack (`docker stack config`) this policy reads. */
export const AccessStackSchema = z.looseObject({
  services: z.record(z.string(), Service).default({}),
  volumes: z.record(z.string(), TopLevel).default({}),
  networks: z.record(z.string(), TopLevel).default({}),
  configs: z.record(z.string(), TopLevel).default({}),
  secrets: z.record(z.string(), TopLevel).default({}),
})
export type AccessStack = z.infer<typeof AccessStackSchema>

const DOCKER_SOCKET = /(^|\/)docker\.sock$/
const OWNER_LABEL = /^cc-ci\./

type Service = z.infer<typeof Service>
type Found = [kind: HostAccessFinding['kind'], key: string, value: string]

/** Bind mounts (the Docker socket apart), devices and published ports of a service. */
function mountsAndPorts(service: Service): Found[] {
  const found: Found[] = []
  for (const volume of service.volumes ?? []) {
    const mount = typeof volume === 'string' ? parseShortVolume(volume) : volume
    if (mount.type === 'bind' && mount.source !== undefined) {
      const kind = DOCKER_SOCKET.test(mount.source) ? 'docker-socket' : 'bind-mount'
      found.push([kind, 'volumes', mount.source])
    }
  }
  for (const device of service.devices ?? []) {
    const source = typeof device === 'string' ? device.split(':')[0] : device.source
    found.push(['device', 'devices', source ?? '?'])
  }
  for (const port of service.ports ?? []) {
    const published = typeof port === 'object' ? port.published : String(port).split(':').at(-2)
    if (published !== undefined && published !== '') {
      found.push(['published-port', 'ports', String(published)])
    }
  }
  return found
}

/** Privileges, capabilities, host namespaces and cc-ci labels of a service. */
function privilegesAndLabels(service: Service, stack: AccessStack): Found[] {
  const found: Found[] = []
  if (service.privileged === true) {
    found.push(['privileged', 'privileged', 'true'])
  }
  found.push(...(service.cap_add ?? []).map((cap): Found => ['capability', 'cap_add', cap]))
  if (service.network_mode === 'host') {
    found.push(['host-network', 'network_mode', 'host'])
  }
  const networks = Array.isArray(service.networks)
    ? service.networks
    : Object.keys(service.networks ?? {})
  for (const network of networks) {
    if (network === 'host' || stack.networks[network]?.name === 'host') {
      found.push(['host-network', 'networks', network])
    }
  }
  if (service.pid === 'host') {
    found.push(['host-pid', 'pid', 'host'])
  }
  if (service.ipc === 'host') {
    found.push(['host-ipc', 'ipc', 'host'])
  }
  const labels = [...service.labels, ...(service.deploy?.labels ?? [])]
  found.push(
    ...labels.filter((l) => OWNER_LABEL.test(l)).map((l): Found => ['owner-label', 'labels', l]),
  )
  return found
}

function serviceFindings(name: string, service: Service, stack: AccessStack): HostAccessFinding[] {
  return [...mountsAndPorts(service), ...privilegesAndLabels(service, stack)].map(
    ([kind, key, value]) => ({
      where: `service ${name}`,
      service: name,
      kind,
      key,
      value,
      grantable: kind !== 'owner-label',
    }),
  )
}

/** `source:target[:mode]` of the short volume syntax: a source that is a path is a bind mount. */
function parseShortVolume(spec: string): { type: string; source: string | undefined } {
  const source = spec.split(':')[0]
  const isPath = source !== undefined && /^[./~]/.test(source)
  return { type: isPath ? 'bind' : 'volume', source }
}

/**
 * Every host access of a rendered stack, pure. `outsideRecipe(file)` says whether a config or
 * secret `file:` (absolute, as Docker renders it) leaves the recipe once symlinks are followed.
 */
export function hostAccessFindings(
  stack: AccessStack,
  outsideRecipe: (file: string) => boolean,
): HostAccessFinding[] {
  const found = Object.entries(stack.services).flatMap(([name, service]) =>
    serviceFindings(name, service, stack),
  )
  const top = (section: 'volumes' | 'networks' | 'configs' | 'secrets') =>
    Object.entries(stack[section])
  for (const section of ['volumes', 'networks', 'configs', 'secrets'] as const) {
    for (const [name, entry] of top(section)) {
      const where = `${section.slice(0, -1)} ${name}`
      for (const label of (entry?.labels ?? []).filter((l) => OWNER_LABEL.test(l))) {
        found.push({
          where,
          service: undefined,
          kind: 'owner-label',
          key: `${section}.${name}.labels`,
          value: label,
          grantable: false,
        })
      }
    }
  }
  for (const [name, entry] of top('volumes')) {
    const options = entry?.driver_opts ?? {}
    const text = (value: unknown) => (typeof value === 'string' ? value : '')
    const device = text(options.device) === '' ? undefined : text(options.device)
    const bind = text(options.o).split(',').includes('bind') || text(options.type) === 'none'
    if (device !== undefined && bind) {
      found.push({
        where: `volume ${name}`,
        service: undefined,
        kind: 'bind-mount',
        key: `volumes.${name}.driver_opts`,
        value: device,
        grantable: true,
      })
    }
  }
  for (const section of ['configs', 'secrets'] as const) {
    for (const [name, entry] of top(section)) {
      if (entry?.file !== undefined && outsideRecipe(entry.file)) {
        found.push({
          where: `${section.slice(0, -1)} ${name}`,
          service: undefined,
          kind: 'file-outside-recipe',
          key: `${section}.${name}.file`,
          value: entry.file,
          grantable: false,
        })
      }
    }
  }
  return found
}

/** Whether `file` (already resolved, symlinks followed) lies inside `dir` (also resolved). */
export function isInside(dir: string, file: string): boolean {
  const rel = relative(dir, file)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/** The grant that allows a finding, if any: same service, same kind, and the same value when it names one. */
export function grantFor(
  finding: HostAccessFinding,
  grants: readonly HostAccessGrant[],
): HostAccessGrant | undefined {
  if (!finding.grantable) {
    return undefined
  }
  return grants.find(
    (g) =>
      g.service === finding.service &&
      g.access === finding.kind &&
      (g.value === undefined || g.value === finding.value),
  )
}

export interface HostAccessDecision {
  refused: HostAccessFinding[]
  granted: { finding: HostAccessFinding; grant: HostAccessGrant }[]
}

/** Splits the findings into what the grants allow and what is refused. */
export function decideHostAccess(
  findings: readonly HostAccessFinding[],
  grants: readonly HostAccessGrant[],
): HostAccessDecision {
  const decision: HostAccessDecision = { refused: [], granted: [] }
  for (const finding of findings) {
    const grant = grantFor(finding, grants)
    if (grant === undefined) {
      decision.refused.push(finding)
    } else {
      decision.granted.push({ finding, grant })
    }
  }
  return decision
}

/** How the refusal of one finding reads, with the way to allow it when there is one. */
export function describeFinding(finding: HostAccessFinding): string {
  const what = `${finding.where}: ${finding.key} ${finding.value}`
  if (finding.kind === 'owner-label') {
    return `${what} (labels under cc-ci. are set by cc-ci only: remove it)`
  }
  if (finding.kind === 'file-outside-recipe') {
    return `${what} (a file outside the recipe, or a symlink leaving it, is never read: keep the file in the recipe)`
  }
  return `${what} (to allow it: hostAccess: [{ service: '${finding.service ?? ''}', access: '${finding.kind}', value: '${finding.value}', reason: '...' }] in recipes/<recipe>/recipe.ts)`
}
