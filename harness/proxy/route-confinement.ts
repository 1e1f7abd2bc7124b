import type { ProxyRoute, RouteProblem } from './traefik-routes.ts'

/**
 * Whether an app deployed as `stack` may serve `host`: its own domain (the stack name with dots),
 * or a one-label sibling of it (`<label>-<first label>.<rest>`, the names recipe.ts `extraEnv`
 * gives subdomains so that the wildcard certificate covers them).
 */
export function isAppHost(stack: string, host: string): boolean {
  const domain = stack.replaceAll('_', '.')
  if (host === domain) {
    return true
  }
  const dot = domain.indexOf('.')
  const first = domain.slice(0, dot)
  const rest = domain.slice(dot)
  const label = host.endsWith(`-${first}${rest}`) ? host.slice(0, -`-${first}${rest}`.length) : ''
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label)
}

/**
 * Routes confined to their apps, pure: the hosts a stack's router names outside that app's own
 * names are not routed, with a problem saying why (a pull request must never take over another
 * run's traffic); its own names still are. Services outside any stack are not an app's, and kept.
 */
export function confineRoutes(
  routes: readonly ProxyRoute[],
  stackOf: (service: string) => string | undefined,
): { routes: ProxyRoute[]; problems: RouteProblem[] } {
  const kept: ProxyRoute[] = []
  const problems: RouteProblem[] = []
  for (const route of routes) {
    const stack = stackOf(route.service)
    const foreign = stack === undefined ? [] : route.hosts.filter((h) => !isAppHost(stack, h))
    const own = route.hosts.filter((h) => !foreign.includes(h))
    if (own.length > 0) {
      kept.push({ ...route, hosts: own })
    }
    if (foreign.length > 0) {
      const domain = (stack ?? '').replaceAll('_', '.')
      problems.push({
        service: route.service,
        router: route.router,
        message: `names ${foreign.join(', ')}, which ${foreign.length === 1 ? 'is' : 'are'} not this app's (only ${domain} and <name>-${domain} siblings are): not routed`,
      })
    }
  }
  return { routes: kept, problems }
}
