/**
 * Reads the Traefik routing labels that Co-op Cloud recipes put on their swarm services
 * (`deploy.labels`, see reference/abra.md §7.1) and turns them into plain HTTPS proxy routes, so
 * the local host can serve apps with a proxy other than Traefik. Pure: labels in, routes and
 * problems out.
 */

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
export interface RuleMatch {
  hosts: string[]
  pathPrefixes: string[]
}

/** The outcome of parsing one router rule. */
export type ParsedRule = { ok: true; matches: RuleMatch[] } | { ok: false; message: string }

/** Entry points that mean HTTPS in the Co-op Cloud Traefik recipe and in Traefik's docs. */
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

// ---------------------------------------------------------------------------------------------
// Rules

type RuleNode =
  | { kind: 'call'; name: string; args: string[] }
  | { kind: 'and' | 'or'; left: RuleNode; right: RuleNode }
  | { kind: 'not'; operand: RuleNode }

type Call = Extract<RuleNode, { kind: 'call' }>

type Token =
  | { kind: 'ident'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: '(' | ')' | ',' | '&&' | '||' | '!' | 'end'; at: number }

/** Thrown inside the parser; `parseRule` turns it into a message. */
class RuleError extends Error {
  readonly syntax: boolean
  constructor(message: string, syntax: boolean) {
    super(message)
    this.syntax = syntax
  }
}

const MAX_TERMS = 64

/**
 * Parses a Traefik v2/v3 router rule into the host/path combinations it matches. Supports
 * `Host` (one or more arguments, v2 style), `HostHeader`, `PathPrefix`, `&&`, `||` and
 * parentheses; anything else (`HostRegexp`, `Path`, `Headers`, `!`...) is reported as
 * unsupported, because routing it more broadly than Traefik would could shadow other routes.
 */
export function parseRule(rule: string): ParsedRule {
  try {
    const node = parseTokens(tokenize(rule))
    return { ok: true, matches: mergeMatches(disjunctiveTerms(node).flatMap(termMatch)) }
  } catch (error) {
    if (!(error instanceof RuleError)) {
      throw error
    }
    const prefix = error.syntax ? 'cannot parse rule' : 'unsupported rule'
    return { ok: false, message: `${prefix} ${JSON.stringify(rule)}: ${error.message}` }
  }
}

function tokenize(rule: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < rule.length) {
    const c = rule.charAt(i)
    if (/\s/.test(c)) {
      i += 1
    } else if (rule.startsWith('&&', i) || rule.startsWith('||', i)) {
      tokens.push({ kind: rule.startsWith('&&', i) ? '&&' : '||', at: i })
      i += 2
    } else if (c === '(' || c === ')' || c === ',' || c === '!') {
      tokens.push({ kind: c, at: i })
      i += 1
    } else if (c === '`' || c === '"') {
      const end = rule.indexOf(c, i + 1)
      if (end < 0) {
        throw new RuleError(`unterminated ${c}-quoted string at offset ${i}`, true)
      }
      tokens.push({ kind: 'string', text: rule.slice(i + 1, end), at: i })
      i = end + 1
    } else if (/[A-Za-z]/.test(c)) {
      const ident = /^[A-Za-z][A-Za-z0-9]*/.exec(rule.slice(i))?.[0] ?? c
      tokens.push({ kind: 'ident', text: ident, at: i })
      i += ident.length
    } else {
      throw new RuleError(`unexpected ${JSON.stringify(c)} at offset ${i}`, true)
    }
  }
  tokens.push({ kind: 'end', at: rule.length })
  return tokens
}

/** Recursive descent: or := and ('||' and)*; and := unary ('&&' unary)*; unary := '!' unary | '(' or ')' | call. */
function parseTokens(tokens: readonly Token[]): RuleNode {
  let pos = 0
  const peek = (): Token => tokens[pos] ?? { kind: 'end', at: -1 }
  const next = (): Token => {
    const token = peek()
    pos += 1
    return token
  }
  const expect = (kind: Token['kind']): Token => {
    const token = next()
    if (token.kind !== kind) {
      throw new RuleError(
        `expected ${describe(kind)} at offset ${token.at}, found ${describe(token.kind)}`,
        true,
      )
    }
    return token
  }
  const binary = (kind: '&&' | '||', operand: () => RuleNode): RuleNode => {
    let left = operand()
    while (peek().kind === kind) {
      next()
      left = { kind: kind === '&&' ? 'and' : 'or', left, right: operand() }
    }
    return left
  }
  const unary = (): RuleNode => {
    const token = peek()
    if (token.kind === '!') {
      next()
      return { kind: 'not', operand: unary() }
    }
    if (token.kind === '(') {
      next()
      const inner = or()
      expect(')')
      return inner
    }
    return call()
  }
  const call = (): RuleNode => {
    const name = expect('ident')
    expect('(')
    const args: string[] = []
    if (peek().kind !== ')') {
      args.push(stringArg(expect('string')))
      while (peek().kind === ',') {
        next()
        args.push(stringArg(expect('string')))
      }
    }
    expect(')')
    return { kind: 'call', name: name.kind === 'ident' ? name.text : '', args }
  }
  const or = (): RuleNode => binary('||', () => binary('&&', unary))
  const node = or()
  expect('end')
  return node
}

function stringArg(token: Token): string {
  return token.kind === 'string' ? token.text : ''
}

function describe(kind: Token['kind']): string {
  const names: Partial<Record<Token['kind'], string>> = {
    ident: 'a matcher name',
    string: 'a quoted value',
    end: 'end of rule',
  }
  return names[kind] ?? `"${kind}"`
}

/** The rule as an OR of ANDs of matcher calls. */
function disjunctiveTerms(node: RuleNode): Call[][] {
  switch (node.kind) {
    case 'call':
      return [[node]]
    case 'not':
      throw new RuleError('negation (!) is not supported', false)
    case 'or':
      return capTerms([...disjunctiveTerms(node.left), ...disjunctiveTerms(node.right)])
    case 'and': {
      const right = disjunctiveTerms(node.right)
      return capTerms(disjunctiveTerms(node.left).flatMap((l) => right.map((r) => [...l, ...r])))
    }
  }
}

function capTerms(terms: Call[][]): Call[][] {
  if (terms.length > MAX_TERMS) {
    throw new RuleError(`more than ${MAX_TERMS} alternatives`, false)
  }
  return terms
}

/** The hosts and path prefixes one AND-term matches; none when its Host() matchers conflict. */
function termMatch(term: readonly Call[]): RuleMatch[] {
  let hosts: string[] | undefined
  let pathPrefixes: string[] = []
  for (const c of term) {
    const name = c.name.toLowerCase()
    if (name === 'host' || name === 'hostheader') {
      const values = hostArgs(c)
      hosts = hosts === undefined ? values : hosts.filter((h) => values.includes(h))
    } else if (name === 'pathprefix') {
      if (pathPrefixes.length > 0) {
        throw new RuleError('several PathPrefix() joined by && are not supported', false)
      }
      pathPrefixes = prefixArgs(c)
    } else if (name === 'hostregexp') {
      throw new RuleError('HostRegexp() is not supported; use Host()', false)
    } else {
      throw new RuleError(`${c.name}() is not supported (only Host, PathPrefix, && and ||)`, false)
    }
  }
  if (hosts === undefined) {
    throw new RuleError("an alternative has no Host(); cc-ci's proxy routes by host name", false)
  }
  return hosts.length === 0 ? [] : [{ hosts, pathPrefixes }]
}

function hostArgs(c: Call): string[] {
  if (c.args.length === 0 || c.args.some((a) => a.trim() === '')) {
    throw new RuleError(`${c.name}() needs non-empty host names`, false)
  }
  return uniqueSorted(c.args.map((a) => a.trim().toLowerCase()))
}

function prefixArgs(c: Call): string[] {
  if (c.args.length === 0 || c.args.some((a) => !a.startsWith('/'))) {
    throw new RuleError(`${c.name}() needs paths starting with "/"`, false)
  }
  return uniqueSorted(c.args)
}

/**
 * Folds the alternatives into as few matches as possible: first the alternatives with the same
 * hosts (an alternative without a path prefix absorbs the others), then those with the same path
 * prefixes.
 */
function mergeMatches(matches: readonly RuleMatch[]): RuleMatch[] {
  if (matches.length === 0) {
    throw new RuleError('it can never match (its Host() matchers conflict)', false)
  }
  const byHosts = groupBy(matches, (m) => m.hosts.join(' ')).map((group): RuleMatch => ({
    hosts: group[0]?.hosts ?? [],
    pathPrefixes: group.some((m) => m.pathPrefixes.length === 0)
      ? []
      : uniqueSorted(group.flatMap((m) => m.pathPrefixes)),
  }))
  return groupBy(byHosts, (m) => m.pathPrefixes.join(' ')).map((group) => ({
    hosts: uniqueSorted(group.flatMap((m) => m.hosts)),
    pathPrefixes: group[0]?.pathPrefixes ?? [],
  }))
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    groups.set(k, [...(groups.get(k) ?? []), item])
  }
  return [...groups.entries()].sort(([a], [b]) => compareText(a, b)).map(([, group]) => group)
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText)
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) {
    list.push(value)
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
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
