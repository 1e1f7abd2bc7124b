import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { CcciError } from '../errors.ts'

/** The checkout of cc-ci itself (generic suites, recipes/, examples/). */
export const CCCI_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '')

const hostname = /^(?=.{1,200}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$/

const EnvSchema = z.object({
  CCCI_HOME: z
    .string()
    .min(1)
    .optional()
    .describe(
      'machine-wide state: leases, runs, results, source caches, env files, TLS (default /var/lib/cc-ci as root, else ~/.local/state/cc-ci)',
    ),
  CCCI_DOMAIN_SUFFIX: z
    .string()
    .regex(hostname, 'a lower-case DNS name such as ccci.localhost')
    .default('ccci.localhost')
    .describe('apps are deployed at <app>.<suffix>'),
  CCCI_PROXY: z
    .enum(['local', 'external'])
    .default('local')
    .describe('local: cc-ci runs its own HTTPS proxy; external: Traefik already routes <suffix>'),
  CCCI_PROXY_PORT: z.coerce.number().int().min(1).max(65535).default(443).describe('HTTPS port'),
  CCCI_CA_FILE: z
    .string()
    .optional()
    .describe('CA certificate to trust for app URLs (external proxy)'),
  CCCI_DRIVER: z.enum(['auto', 'abra', 'swarm']).default('auto').describe('how apps are deployed'),
  CCCI_RECIPE_DIRS: z.string().optional().describe('colon-separated folders of recipe configs'),
  CCCI_SERVER: z.string().regex(hostname).default('default').describe('abra server name'),
  ABRA_DIR: z.string().optional().describe('abra state folder (servers/<server>/<domain>.env)'),
  CCCI_DIAGNOSTICS: z
    .enum(['on-failure', 'always'])
    .default('on-failure')
    .describe(
      'when a run collects its diagnostics bundle (<results>/diagnostics/) before the teardown: on-failure, or always (a green run too)',
    ),
})

export interface Settings {
  root: string
  home: string
  domainSuffix: string
  proxy: 'local' | 'external'
  proxyPort: number
  caFile: string | undefined
  driver: 'auto' | 'abra' | 'swarm'
  recipeDirs: string[]
  server: string
  abraDir: string
  /** When the teardown collects the diagnostics bundle (harness/diagnostics/). */
  diagnostics: 'on-failure' | 'always'
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(CCCI_ROOT, path)
}

/**
 * One state folder per machine, not per checkout: runs of every checkout share the leases the
 * janitor trusts, and the local host's TLS.
 */
function defaultHome(env: NodeJS.ProcessEnv): string {
  if (process.getuid?.() === 0) {
    return '/var/lib/cc-ci'
  }
  return join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'cc-ci')
}

/** Settings from the environment, validated; read when first needed, never at import time. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    throw new CcciError('CCCI_SETTINGS', `invalid environment: ${z.prettifyError(parsed.error)}`, {
      hint: 'fix or unset the variables named above (docs/configuration.md lists them)',
    })
  }
  const e = parsed.data
  const home = absolute(e.CCCI_HOME ?? defaultHome(env))
  return {
    root: CCCI_ROOT,
    home,
    domainSuffix: e.CCCI_DOMAIN_SUFFIX,
    proxy: e.CCCI_PROXY,
    proxyPort: e.CCCI_PROXY_PORT,
    caFile: e.CCCI_CA_FILE === undefined ? undefined : absolute(e.CCCI_CA_FILE),
    driver: e.CCCI_DRIVER,
    recipeDirs: (e.CCCI_RECIPE_DIRS ?? 'recipes').split(':').filter(Boolean).map(absolute),
    server: e.CCCI_SERVER,
    abraDir: absolute(e.ABRA_DIR ?? join(home, 'abra')),
    diagnostics: e.CCCI_DIAGNOSTICS,
  }
}

/** The environment variables cc-ci reads, with their descriptions (for docs). */
export function settingsDocumentation(): { name: string; description: string }[] {
  return Object.entries(EnvSchema.shape).map(([name, schema]) => ({
    name,
    description: schema.description ?? '',
  }))
}
