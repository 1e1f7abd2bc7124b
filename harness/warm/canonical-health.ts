import type { Settings } from '../config/settings.ts'
import { CcciError } from '../errors.ts'
import { hostCa } from '../host/local-host.ts'
import { httpFailure, httpRequest } from '../http/index.ts'
import { pollRounds } from '../poll.ts'
import { expectedStatuses, type RecipeConfig } from '../recipe/recipe-config.ts'

/** The canonical answers its health path over HTTPS with an expected status, polled. */
export async function checkCanonicalHealth(
  settings: Settings,
  domain: string,
  config: RecipeConfig,
  timeoutMs = 90_000,
): Promise<number> {
  const port = settings.proxyPort === 443 ? '' : `:${settings.proxyPort}`
  const url = `https://${domain}${port}${config.health.path}`
  const statuses = expectedStatuses(config)
  const expected = (status: number) =>
    statuses === undefined ? status < 400 : statuses.includes(status)
  let last = 'no answer'
  for await (const round of pollRounds({ timeoutMs, intervalMs: 1000 })) {
    try {
      const response = await httpRequest(url, {
        ca: hostCa(settings),
        loopbackSuffix: settings.proxy === 'local' ? settings.domainSuffix : undefined,
        timeoutMs: 10_000,
      })
      if (expected(response.status)) {
        return response.status
      }
      last = `status ${response.status}`
    } catch (error) {
      last = httpFailure(error)
    }
    if (round.expired()) {
      break
    }
  }
  throw new CcciError(
    'CCCI_WARM_UNHEALTHY',
    `the canonical ${url} did not answer as expected: ${last}`,
    {
      hint: `expected ${statuses?.join(' or ') ?? 'a status below 400'}; the known-good snapshot was kept`,
    },
  )
}
