import { z } from 'zod'
import { HostAccessGrantSchema } from '../coop/host-access.ts'
import { TIERS, type Tier } from '../run/tier-names.ts'

const TierSchema = z.enum(TIERS)

/** What `extraEnv` gets to compute a recipe's extra app env. */
export interface ExtraEnvContext {
  /** The app's domain for this run, e.g. `keyc-1a2b3c.ccci.localhost`. */
  domain: string
  /** The wildcard suffix, e.g. `ccci.localhost`. */
  suffix: string
  recipe: string
  /**
   * A sibling name for a subdomain the app needs, one label deep so the wildcard certificate
   * covers it: `sibling('auth')` on `keyc-1a2b3c.ccci.localhost` is `auth-keyc-1a2b3c.ccci.localhost`.
   */
  sibling: (label: string) => string
}

const envKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an env var name (letters, digits, _)')

/** The schema of `recipes/<recipe>/recipe.ts`. Every key is optional: zero config works. */
export const RecipeConfigSchema = z
  .strictObject({
    source: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Git URL or path of the recipe (a path starting with ./ or ../ is relative to this folder); default https://git.coopcloud.tech/coop-cloud/<recipe>.git',
      ),
    deps: z
      .array(z.enum(['keycloak']))
      .default([])
      .describe(
        'Shared services the app needs for the run (keycloak: a realm per run, with a client for the app and a test user; docs/dependencies.md)',
      ),
    keycloak: z
      .strictObject({
        issuerEnv: envKey
          .default('OIDC_ISSUER')
          .describe(
            "App env key that receives the issuer URL (`<keycloak>/realms/<the run's realm>`)",
          ),
        clientIdEnv: envKey
          .default('OIDC_CLIENT_ID')
          .describe('App env key that receives the client id'),
        internalUrlEnv: envKey
          .optional()
          .describe(
            "App env key that receives the base URL the app's containers reach Keycloak at (the public URL in production; the stand-in's swarm address locally)",
          ),
        clientSecret: z
          .string()
          .regex(/^[a-z][a-z0-9_]*$/, 'a compose secret key (lower case, digits, _)')
          .default('oidc_secret')
          .describe(
            'The compose secret (generate=false) the client secret is inserted into, as `abra app secret insert` would',
          ),
        redirectPaths: z
          .array(z.string().startsWith('/'))
          .min(1)
          .default(['/*'])
          .describe(
            "The client's redirect URIs on the run's domain (a trailing * is Keycloak's wildcard)",
          ),
      })
      .default({
        issuerEnv: 'OIDC_ISSUER',
        clientIdEnv: 'OIDC_CLIENT_ID',
        clientSecret: 'oidc_secret',
        redirectPaths: ['/*'],
      })
      .describe("How the run's realm reaches the app, with deps: [keycloak]"),
    extraEnv: z
      .union([
        z.record(envKey, z.string()),
        z.custom<(context: ExtraEnvContext) => Record<string, string>>(
          (v) => typeof v === 'function',
          {
            message: 'a record of env vars or a function (context) => record',
          },
        ),
      ])
      .optional()
      .describe(
        'Env vars written into the app env after .env.sample, e.g. subdomains as single-label siblings',
      ),
    backupCapable: z
      .boolean()
      .optional()
      .describe('Override backup detection (default: some service carries backupbot.backup=true)'),
    skipGeneric: z
      .union([z.literal('all'), z.array(TierSchema)])
      .default([])
      .describe('Tiers whose generic suites do not run for this recipe ("all" for every tier)'),
    expectedNA: z
      .partialRecord(TierSchema, z.string().min(1, 'a reason'))
      .default({})
      .describe(
        'Tiers that do not apply to this recipe, with the reason (reported as N/A, not as a gap)',
      ),
    warmCanonical: z
      .boolean()
      .default(false)
      .describe('Keep a data-warm canonical deployment for --quick runs'),
    timeouts: z
      .partialRecord(
        z.enum([...TIERS, 'deploy', 'install-steps']),
        z.number().int().positive().max(7200),
      )
      .default({})
      .describe(
        'Per-tier test timeouts, the deploy convergence deadline and the install-steps.sh deadline (default 600), in seconds',
      ),
    hostAccess: z
      .array(HostAccessGrantSchema)
      .default([])
      .describe(
        'Access to the CI host the recipe needs (e.g. traefik: the Docker socket), granted exactly: everything else a compose file asks of the host is refused before deploying',
      ),
    health: z
      .strictObject({
        path: z
          .string()
          .startsWith('/')
          .default('/')
          .describe('Path the install tier requests over HTTPS'),
        status: z
          .union([
            z.number().int().min(100).max(599),
            z.array(z.number().int().min(100).max(599)).min(1),
          ])
          .optional()
          .describe(
            'Expected status code(s); default: any status below 400 (an app that redirects to its login page answers too)',
          ),
      })
      .default({ path: '/' })
      .describe('How the generic install suite decides the app answers'),
  })
  .describe('cc-ci configuration of one recipe (recipes/<recipe>/recipe.ts)')

export type RecipeConfigInput = z.input<typeof RecipeConfigSchema>
export type RecipeConfig = z.output<typeof RecipeConfigSchema>

/** Declares a recipe's cc-ci configuration; `recipes/<recipe>/recipe.ts` default-exports it. */
export function defineRecipe(config: RecipeConfigInput): RecipeConfigInput {
  return config
}

/** The config of a recipe without a recipe.ts. */
export function zeroConfig(): RecipeConfig {
  return RecipeConfigSchema.parse({})
}

/** Generic suites are skipped for this tier. */
export function skipsGeneric(config: RecipeConfig, tier: Tier): boolean {
  return config.skipGeneric === 'all' || config.skipGeneric.includes(tier)
}

/** Expected statuses as a list; undefined: any status below 400. */
export function expectedStatuses(config: RecipeConfig): number[] | undefined {
  const status = config.health.status
  return status === undefined ? undefined : Array.isArray(status) ? status : [status]
}

/** The app env extras for one run. */
export function resolveExtraEnv(
  config: RecipeConfig,
  context: ExtraEnvContext,
): Record<string, string> {
  const extra = config.extraEnv
  if (extra === undefined) {
    return {}
  }
  const values = typeof extra === 'function' ? extra(context) : extra
  return z.record(envKey, z.string()).parse(values)
}
