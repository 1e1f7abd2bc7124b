import { z } from 'zod'
import { HOST_ACCESS_KINDS } from '../coop/host-access.ts'
import type { Layer } from '../overlays/tier-plan.ts'
import { TIERS } from '../run/tier-names.ts'

/**
 * `ccci inspect --json`: what a run would do with a recipe, without deploying. Stable: a field is
 * only ever added; a change of meaning bumps `schemaVersion`. docs/inspect.schema.json is
 * generated from this schema (checked for drift by a unit test). Never holds a secret value.
 */

const Source = z.object({
  src: z.string().describe('the recipe repository (a local path resolved to an absolute one)'),
  ref: z.string().nullable().describe('the --ref given, or null for the default branch'),
  commit: z.string().describe('the commit under test (the head)'),
})

const App = z.object({
  domain: z.string().describe('the would-be run domain, <recipe[:4]>-<6 hex>.<suffix>'),
  stack: z.string().describe('the Docker stack name: the domain with dots as underscores'),
  server: z.string().describe('the abra server the app env would live under'),
})

const Versions = z.object({
  head: z.string().nullable().describe('the release tag on the head commit, if any'),
  base: z.string().nullable().describe('the release install deploys first, if any'),
  install: z
    .string()
    .describe('what install deploys: a release, or `chaos <commit>` when there is none'),
  upgrade: z
    .string()
    .nullable()
    .describe('what the upgrade tier deploys over it (the head, as a chaos deploy)'),
  upgradeSkip: z.string().nullable().describe('why the upgrade tier cannot run, when it cannot'),
  warnings: z.array(z.string()).describe('tags that look like releases and are not'),
})

const ComposeFiles = z.object({
  composeFile: z
    .string()
    .nullable()
    .describe('COMPOSE_FILE of the app env after $VAR expansion; null: not set (compose.yml)'),
  files: z.array(z.string()).describe('the compose files a deploy reads, in order'),
})

const Service = z.object({
  name: z.string().describe('the compose service name, e.g. app'),
  image: z.string().nullable(),
  volumes: z
    .array(z.object({ key: z.string(), target: z.string() }))
    .describe('named volumes it mounts: the compose key and the mount point'),
  secrets: z.array(z.string()).describe('the compose keys of the secrets it reads'),
})

const Volume = z.object({
  key: z.string().describe('the compose key'),
  name: z.string().describe('the Docker volume name (`<stack>_<key>` unless named)'),
  external: z.boolean(),
})

const Secret = z.object({
  key: z.string().describe('the key under top-level secrets:'),
  name: z.string().describe('the swarm secret name, `<stack>_<key>_<version>`'),
  version: z.string(),
  versionVar: z
    .string()
    .nullable()
    .describe('the env variable holding the version (its comment holds the modifiers)'),
  generate: z.boolean().describe('false with `# generate=false`: inserted, never generated'),
  length: z
    .number()
    .nullable()
    .describe('`# length=N`: N random characters; null: a passphrase as abra generates one'),
  charset: z.array(z.string()).describe('`# charset=` names; empty: default'),
})

const Route = z.object({
  service: z.string().describe('the compose service whose labels declare the router'),
  router: z.string(),
  hosts: z.array(z.string()),
  pathPrefixes: z.array(z.string()).describe('empty: every path'),
  port: z.number().describe('the container port the route goes to'),
  priority: z.number().nullable(),
})

const RouteProblem = z.object({
  service: z.string(),
  router: z.string().nullable(),
  message: z.string(),
})

const Backup = z.object({
  error: z
    .string()
    .nullable()
    .describe('why the backupbot labels make no plan (a backup would fail); null when they do'),
  services: z.array(z.string()).describe('services saying backupbot.backup=true; none: no backup'),
  volumes: z.array(
    z.object({
      key: z.string(),
      volume: z.string().describe('the Docker volume name'),
      paths: z
        .union([z.literal('all'), z.array(z.string())])
        .describe('the whole volume, or these paths relative to its root'),
    }),
  ),
  hooks: z.array(
    z.object({
      service: z.string(),
      backupPre: z.string().nullable(),
      backupPost: z.string().nullable(),
      restorePre: z.string().nullable(),
      restorePost: z.string().nullable(),
    }),
  ),
  warnings: z.array(z.string()).describe('labels that have no effect or that cc-ci does not know'),
})

const Lint = z.object({
  ok: z.boolean().describe('no error-level rule fails: install would not refuse the recipe'),
  error: z.string().nullable().describe('why the recipe could not be linted at all'),
  rules: z.array(
    z.object({
      ref: z.string(),
      level: z.enum(['warn', 'error']),
      description: z.string(),
      satisfied: z.boolean(),
      skipped: z.boolean(),
    }),
  ),
})

const HostAccess = z.object({
  checked: z
    .enum(['recipe', 'app'])
    .describe(
      'recipe: every compose file of the head rendered together, as the run checks it before install; app: only the app compose files (when they do not render together)',
    ),
  note: z.string().nullable(),
  findings: z.array(
    z.object({
      where: z.string().describe('e.g. `service app`, `volume data`'),
      service: z.string().nullable(),
      kind: z.enum([...HOST_ACCESS_KINDS, 'file-outside-recipe', 'owner-label']),
      key: z.string().describe('the compose key, e.g. volumes, cap_add'),
      value: z.string(),
      granted: z.boolean().describe('allowed by recipe.ts hostAccess; otherwise install refuses'),
      reason: z.string().describe('the grant reason, or what to do about a refusal'),
    }),
  ),
})

const LAYERS = ['repo-local', 'recipe', 'generic'] as const satisfies readonly Layer[]

const Tier = z.object({
  tier: z.enum(TIERS),
  run: z.array(z.object({ layer: z.enum(LAYERS), file: z.string() })),
  skipped: z.array(z.object({ layer: z.enum(LAYERS), file: z.string(), reason: z.string() })),
  notRun: z.array(z.object({ layer: z.enum(LAYERS), file: z.string(), reason: z.string() })),
})

export const InspectionSchema = z.object({
  schemaVersion: z.literal(1),
  recipe: z.string(),
  configured: z.boolean().describe('the recipe has a cc-ci config folder (else zero config)'),
  source: Source,
  app: App,
  versions: Versions,
  rendered: z
    .string()
    .describe('what the compose, secrets, routes and backup sections describe: the head commit'),
  compose: ComposeFiles,
  services: z.array(Service),
  volumes: z.array(Volume),
  secrets: z.array(Secret).describe('names and how each would be generated; never a value'),
  routes: z.object({ routes: z.array(Route), problems: z.array(RouteProblem) }),
  backup: Backup,
  lint: Lint,
  hostAccess: HostAccess,
  tiers: z.array(Tier),
  warnings: z.array(z.string()),
})

export type Inspection = z.infer<typeof InspectionSchema>

/** docs/inspect.schema.json: the JSON schema of `ccci inspect --json`, generated. */
export function inspectionJsonSchema(): string {
  const schema = z.toJSONSchema(InspectionSchema, { io: 'output' })
  return `${JSON.stringify(schema, null, 2)}\n`
}
