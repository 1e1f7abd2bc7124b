/**
 * Reads the Traefik routing labels that Co-op Cloud recipes put on their swarm services
 * (`deploy.labels`, e.g. `traefik.http.routers.<router>.rule`) and turns them into plain HTTPS
 * proxy routes, so the local host can serve apps with a proxy other than Traefik. Pure: labels
 * in, routes and problems out.
 */

import { addUnique, compareText } from './text-order.ts'
import { parseRule, type ParsedRule, type RuleMatch } from './traefik-rule.ts'

export { parseRule, type ParsedRule, type RuleMatch }

/** The deploy labels of one swarm service. */
export interface SwarmServiceLabels {
  /** Full swarm service name, e.g. `ab-12cd34_ccci_localhost_app`. */
  service: string
  labels: Record<string, string>
}

/** One HTTPS route: requests for `hosts` (and one of `pathPrefixes`, if any) go to `upstream`. */
export interface ProxyRoute {
  /** The Traefik router the route comes from. */
  router: string
  /** The swarm service whose labels declare the router. */
  service: string
  /** Lower-cased, deduplicated, sorted. Never empty. */
  hosts: string[]
  /** `PathPrefix()` values, sorted; empty means every path. */
  pathPrefixes: string[]
  /** `tasks.<swarm service>:<port>`: swarm VIPs do not route on the local host's kernel. */
  upstream: string
  /** The router's `priority` label, when it has one. */
  priority?: number
}

/** Why a service or router was left out of the routes. */
export interface RouteProblem {
  service: string
  router?: string
  message: string
}

/** What `traefikRoutes` found. Both lists are sorted, so equal labels give equal output. */
export interface TraefikRoutes {
  routes: ProxyRoute[]
  problems: RouteProblem[]
}

/** One way a rule can match: any of `hosts`, and any of `pathPrefixes` (none = every path). */
const HTTPS_ENTRYPOINTS = new Set(['web-secure', 'websecure', 'https'])

/**
 * The HTTPS routes declared by the Traefik labels of `services`, and the problems that kept a
 * router or service out. Only services with `traefik.enable=true` count; routers bound only to
 * plain-HTTP entry points (the redirect routers) are skipped silently.
 */
export function traefikRoutes(services: readonly SwarmServiceLabels[]): TraefikRoutes {
  const enabled = services
    .filter((s) => s.labels['traefik.enable']?.toLowerCase() === 'true')
    .map((s) => ({ service: s.service, config: readTraefikLabels(s.labels) }))
  const routes: ProxyRoute[] = []
  const problems: RouteProblem[] = []
  for (const swarm of enabled) {
    const problem = serviceProblem(swarm.service, swarm.config)
    if (problem !== undefined) {
      problems.push(problem)
    }
    for (const [router, options] of swarm.config.routers) {
      const result = routerRoutes({ router, options, swarm, enabled })
      routes.push(...result.routes)
      problems.push(...result.problems)
    }
  }
  return { routes: routes.sort(compareRoutes), problems: problems.sort(compareProblems) }
}

// ---------------------------------------------------------------------------------------------
// Labels

interface TraefikLabels {
  /** HTTP router name -> option (lower-cased, e.g. `rule`, `tls.certresolver`) -> value. */
  routers: Map<string, Map<string, string>>
  /** HTTP service name -> option (lower-cased) -> value. */
  services: Map<string, Map<string, string>>
  /** `tcp:<name>` / `udp:<name>` routers, which an HTTP proxy cannot serve. */
  otherRouters: string[]
}

interface EnabledService {
  service: string
  config: TraefikLabels
}

const LABEL_RE = /^traefik\.(http|tcp|udp)\.(routers|services)\.([^.]+)\.(.+)$/i

function readTraefikLabels(labels: Record<string, string>): TraefikLabels {
  const config: TraefikLabels = { routers: new Map(), services: new Map(), otherRouters: [] }
  for (const key of Object.keys(labels).sort()) {
    const m = LABEL_RE.exec(key)
    const value = labels[key]
    if (m == null || value === undefined) {
      continue
    }
    const [, protocol = '', kind = '', name = '', option = ''] = m
    if (protocol.toLowerCase() !== 'http') {
      if (kind.toLowerCase() === 'routers') {
        addUnique(config.otherRouters, `${protocol.toLowerCase()}:${name}`)
      }
      continue
    }
    const table = kind.toLowerCase() === 'routers' ? config.routers : config.services
    const options = table.get(name) ?? new Map<string, string>()
    options.set(option.toLowerCase(), value)
    table.set(name, options)
  }
  config.routers = new Map([...config.routers].sort(([a], [b]) => compareText(a, b)))
  return config
}

function serviceProblem(service: string, config: TraefikLabels): RouteProblem | undefined {
  if (config.routers.size > 0 || config.services.size > 0) {
    return undefined
  }
  if (config.otherRouters.length > 0) {
    const names = config.otherRouters.join(', ')
    return {
      service,
      message: `traefik.enable=true but it only has TCP/UDP routers (${names}); cc-ci's proxy serves HTTP(S) only`,
    }
  }
  return {
    service,
    message:
      'traefik.enable=true but no traefik.http.routers.<name>.rule label, so nothing routes to it',
  }
}

// ---------------------------------------------------------------------------------------------
// Routers

interface RouterInput {
  router: string
  options: Map<string, string>
  swarm: EnabledService
  enabled: readonly EnabledService[]
}

function routerRoutes(input: RouterInput): TraefikRoutes {
  const { router, options, swarm } = input
  const fail = (message: string): TraefikRoutes => ({
    routes: [],
    problems: [{ service: swarm.service, router, message }],
  })
  if (!servesHttps(options.get('entrypoints'))) {
    return { routes: [], problems: [] }
  }
  const rule = options.get('rule')
  if (rule === undefined || rule.trim() === '') {
    return fail(`router has no rule: set traefik.http.routers.${router}.rule`)
  }
  const priority = parsePriority(options.get('priority'))
  if (priority === 'invalid') {
    return fail(
      `traefik.http.routers.${router}.priority is not an integer: "${options.get('priority') ?? ''}"`,
    )
  }
  const parsed = parseRule(rule)
  if (!parsed.ok) {
    return fail(parsed.message)
  }
  const target = resolveUpstream(input)
  if (typeof target === 'string') {
    return fail(target)
  }
  const routes = parsed.matches.map((m): ProxyRoute => ({
    router,
    service: swarm.service,
    hosts: m.hosts,
    pathPrefixes: m.pathPrefixes,
    upstream: target.upstream,
    ...(priority === undefined ? {} : { priority }),
  }))
  return { routes, problems: [] }
}

/** Routers without entry points listen on all of them; otherwise one must be an HTTPS one. */
function servesHttps(entrypoints: string | undefined): boolean {
  if (entrypoints === undefined || entrypoints.trim() === '') {
    return true
  }
  return entrypoints.split(',').some((e) => HTTPS_ENTRYPOINTS.has(e.trim().toLowerCase()))
}

/** `undefined` when absent. */
function parsePriority(value: string | undefined): number | undefined | 'invalid' {
  if (value === undefined) {
    return undefined
  }
  return /^\s*-?\d+\s*$/.test(value) ? Number.parseInt(value, 10) : 'invalid'
}

// ---------------------------------------------------------------------------------------------
// Upstreams

/** The router's `tasks.<swarm service>:<port>`, or why there is none. */
function resolveUpstream(input: RouterInput): { upstream: string } | string {
  const target = targetService(input)
  if (typeof target === 'string') {
    return target
  }
  const portLabel = `traefik.http.services.${target.name}.loadbalancer.server.port`
  const options = target.owner?.config.services.get(target.name)
  const port = options?.get('loadbalancer.server.port')
  if (target.owner === undefined || port === undefined) {
    return `no port for traefik service "${target.name}": missing label ${portLabel}`
  }
  if (!isPort(port)) {
    return `${portLabel}=${port} on ${target.owner.service} is not a port number`
  }
  const scheme = options?.get('loadbalancer.server.scheme')
  if (scheme !== undefined && scheme.toLowerCase() !== 'http') {
    return `traefik service "${target.name}" uses scheme ${scheme}; cc-ci's proxy speaks plain HTTP to apps`
  }
  return { upstream: `tasks.${target.owner.service}:${port.trim()}` }
}

interface Target {
  /** The traefik service name, without any `@docker` suffix. */
  name: string
  /** The enabled swarm service whose labels declare it, if any does. */
  owner: EnabledService | undefined
}

/**
 * The traefik service a router sends to: its `.service` (looked up on its own swarm service
 * first, then on the others, as Traefik's docker provider shares service names across
 * containers), else the single service its own labels declare, else one named like the router.
 * A string is a problem.
 */
function targetService(input: RouterInput): Target | string {
  const { router, swarm } = input
  const explicit = input.options.get('service')?.trim() ?? ''
  if (explicit !== '') {
    return explicitTarget(explicit, input)
  }
  const declared = [...swarm.config.services.keys()].sort(compareText)
  if (declared.length === 1 && declared[0] !== undefined) {
    return { name: declared[0], owner: swarm }
  }
  if (declared.length > 1 && !declared.includes(router)) {
    const names = declared.join(', ')
    return `router has no service and ${swarm.service} declares several (${names}): set traefik.http.routers.${router}.service`
  }
  return { name: router, owner: declared.length > 0 ? swarm : undefined }
}

function explicitTarget(service: string, input: RouterInput): Target | string {
  const [name = '', provider] = service.split('@', 2)
  if (provider !== undefined && !['docker', 'swarm'].includes(provider.toLowerCase())) {
    return `routes to ${service}, a service outside docker labels (e.g. Traefik's own api@internal); cc-ci's proxy cannot serve it`
  }
  if (input.swarm.config.services.has(name)) {
    return { name, owner: input.swarm }
  }
  const owners = input.enabled.filter((s) => s.config.services.has(name))
  if (owners.length > 1) {
    const names = owners.map((s) => s.service).join(', ')
    return `traefik service "${name}" is declared by several swarm services (${names}); cc-ci cannot tell which one to route to`
  }
  return { name, owner: owners[0] }
}

function isPort(value: string): boolean {
  const trimmed = value.trim()
  const n = Number(trimmed)
  return /^\d+$/.test(trimmed) && n >= 1 && n <= 65535
}

function compareRoutes(a: ProxyRoute, b: ProxyRoute): number {
  return (
    compareText(a.service, b.service) ||
    compareText(a.router, b.router) ||
    compareText(a.hosts.join(' '), b.hosts.join(' ')) ||
    compareText(a.pathPrefixes.join(' '), b.pathPrefixes.join(' '))
  )
}

function compareProblems(a: RouteProblem, b: RouteProblem): number {
  return (
    compareText(a.service, b.service) ||
    compareText(a.router ?? '', b.router ?? '') ||
    compareText(a.message, b.message)
  )
}
