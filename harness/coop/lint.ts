/**
 * The checks of `abra recipe lint` (rules R001-R015) that cc-ci can make itself, so the
 * swarm driver reports the same lint data as the abra driver. The compose files are loaded with
 * Docker's own loader (`docker stack config`, client-side only) with the `.env.sample` values,
 * `STACK_NAME` and the abra.sh exports, as abra loads every `compose*.yml` of a recipe.
 * R006 (published catalogue version) and R013 (repository on git.coopcloud.tech) need the
 * catalogue and the network: they are reported as skipped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'
import type { AppRef, LintResult, LintRule } from '../driver/app-driver.ts'
import { CcciError, describeError } from '../errors.ts'
import { listTags } from '../git/index.ts'
import { parseAbraSh } from './abra-sh.ts'
import { parseEnvFile } from './env-file.ts'
import { renderStack, type RenderedStack } from '../docker/index.ts'

/** One rule as abra lists it: ref, level, description and how to resolve it. */
export interface LintRuleSpec {
  ref: string
  level: LintRule['level']
  description: string
  resolve: string
}

/** abra's rules, in its order (R001, R002 descriptions verbatim from pkg/lint; the rest recalled). */
export const LINT_RULES: readonly LintRuleSpec[] = [
  {
    ref: 'R001',
    level: 'warn',
    description: 'compose config has expected version',
    resolve: `ensure 'version: "3.8"' in compose configs`,
  },
  {
    ref: 'R002',
    level: 'warn',
    description: 'healthcheck enabled for all services',
    resolve: 'wire up healthchecks',
  },
  {
    ref: 'R003',
    level: 'warn',
    description: 'all images use a tag',
    resolve: 'use a tag for all images',
  },
  {
    ref: 'R004',
    level: 'warn',
    description: 'no unstable tags',
    resolve: "tag all images with stable tags, not 'latest'",
  },
  {
    ref: 'R005',
    level: 'warn',
    description: 'tags use semver-like format',
    resolve: 'use semver-like tags',
  },
  {
    ref: 'R006',
    level: 'warn',
    description: 'has published catalogue version',
    resolve: 'publish a recipe version to the catalogue',
  },
  {
    ref: 'R007',
    level: 'warn',
    description: 'README.md metadata filled in',
    resolve: 'fill out all the metadata',
  },
  {
    ref: 'R008',
    level: 'error',
    description: '.env.sample provided',
    resolve: 'create an example .env.sample',
  },
  {
    ref: 'R009',
    level: 'error',
    description: 'one service named app',
    resolve: 'name a service app',
  },
  {
    ref: 'R010',
    level: 'error',
    description: 'traefik routing enabled',
    resolve: 'include "traefik.enable=true" deploy label',
  },
  {
    ref: 'R011',
    level: 'error',
    description: 'all services have images',
    resolve: 'ensure "image: ..." set on all services',
  },
  {
    ref: 'R012',
    level: 'error',
    description: 'config version are vendored',
    resolve: 'vendor config versions in an abra.sh',
  },
  {
    ref: 'R013',
    level: 'warn',
    description: 'git.coopcloud.tech repo exists',
    resolve: 'upload your recipe to git.coopcloud.tech/coop-cloud/...',
  },
  {
    ref: 'R014',
    level: 'error',
    description: 'only annotated tags used for recipe version',
    resolve: 'replace lightweight tag with annotated tag',
  },
  {
    ref: 'R015',
    level: 'warn',
    description: 'long secret names',
    resolve: 'reduce length of secret names to 12 chars',
  },
]

/** What the rules look at. */
interface RecipeFacts {
  /** Each compose file as written (not interpolated). */
  raw: { file: string; doc: z.infer<typeof RawCompose> }[]
  rendered: RenderedStack
  envSample: Record<string, string> | undefined
  abraSh: Record<string, string>
  readme: string | undefined
  tags: { name: string; annotated: boolean }[]
}

type Check = (facts: RecipeFacts) => boolean | 'skip'

const RawCompose = z.looseObject({
  version: z.union([z.string(), z.number()]).optional(),
  configs: z
    .record(z.string(), z.looseObject({ name: z.string().optional() }).nullable())
    .optional(),
})

/** The tag of `name[:tag][@digest]`, undefined when none is given. */
function imageTag(image: string): string | undefined {
  const name = image.split('@')[0] ?? ''
  const last = name.slice(name.lastIndexOf('/') + 1)
  const colon = last.indexOf(':')
  return colon < 0 ? undefined : last.slice(colon + 1)
}

/** Pinned by a tag or a digest. */
const pinned = (image: string) => image.includes('@') || imageTag(image) !== undefined

const images = (facts: RecipeFacts): string[] =>
  Object.values(facts.rendered.services).flatMap((s) => (s.image === undefined ? [] : [s.image]))

const METADATA_KEYS = [
  'Category',
  'Status',
  'Image',
  'Healthcheck',
  'Backups',
  'Email',
  'Tests',
  'SSO',
]

/** `${VAR}`, `${VAR:-default}`, `$VAR` references of a string, with whether they have a default. */
function variables(text: string): { name: string; hasDefault: boolean }[] {
  return [
    ...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g),
  ].map((m) => ({
    name: m[1] ?? m[3] ?? '',
    hasDefault: (m[2] ?? '').startsWith(':-') || (m[2] ?? '').startsWith('-'),
  }))
}

const CHECKS: Record<string, Check> = {
  R001: (f) => f.raw.every((c) => String(c.doc.version ?? '') === '3.8'),
  R002: (f) =>
    Object.values(f.rendered.services).every(
      (s) => s.healthcheck !== undefined && s.healthcheck !== null,
    ),
  R003: (f) => images(f).every(pinned),
  R004: (f) => images(f).every((i) => imageTag(i) !== 'latest'),
  R005: (f) =>
    images(f).every((i) => {
      const tag = imageTag(i)
      return tag === undefined || /^v?\d+(\.\d+)*([-_+.][0-9A-Za-z.+_-]*)?$/.test(tag)
    }),
  R006: () => 'skip',
  R007: (f) => {
    const block = /<!--\s*metadata\s*-->([\s\S]*?)<!--\s*endmetadata\s*-->/.exec(
      f.readme ?? '',
    )?.[1]
    if (block === undefined) {
      return false
    }
    return METADATA_KEYS.every((key) =>
      new RegExp(`^\\s*[-*]\\s*\\*\\*${key}\\*\\*:[ \\t]*\\S`, 'm').test(block),
    )
  },
  R008: (f) => f.envSample !== undefined,
  R009: (f) => 'app' in f.rendered.services,
  R010: (f) => {
    if (f.envSample?.DOMAIN === undefined) {
      return 'skip'
    }
    return Object.values(f.rendered.services).some(
      (s) => s.deploy?.labels?.['traefik.enable'] === 'true',
    )
  },
  R011: (f) => Object.values(f.rendered.services).every((s) => (s.image ?? '').trim() !== ''),
  R012: (f) =>
    f.raw.every(({ doc }) =>
      Object.values(doc.configs ?? {}).every((config) =>
        variables(config?.name ?? '')
          .filter((v) => v.name !== 'STACK_NAME')
          .every((v) => v.hasDefault || v.name in f.abraSh),
      ),
    ),
  R013: () => 'skip',
  R014: (f) => f.tags.every((t) => t.annotated),
  R015: (f) => Object.keys(f.rendered.secrets).every((key) => key.length <= 12),
}

/** `compose.yml` first, then the other `compose*.yml` in name order: what abra lints. */
function composeFiles(recipeDir: string): string[] {
  const files = readdirSync(recipeDir)
    .filter((f) => /^compose(\..+)?\.ya?ml$/.test(f))
    .sort((a, b) => (a === 'compose.yml' ? -1 : b === 'compose.yml' ? 1 : a.localeCompare(b)))
  if (files.length === 0) {
    throw new CcciError('CCCI_LINT_NO_COMPOSE', `recipe in ${recipeDir} has no compose.yml`, {
      hint: 'a recipe needs compose.yml at its root',
    })
  }
  return files
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined
}

async function gatherFacts(app: Pick<AppRef, 'recipeDir' | 'stack'>): Promise<RecipeFacts> {
  const dir = app.recipeDir
  const files = composeFiles(dir)
  const raw = files.map((file) => {
    let doc: unknown
    try {
      doc = parse(readFileSync(join(dir, file), 'utf8'))
    } catch (error) {
      throw new CcciError(
        'CCCI_LINT_INVALID',
        `${file} is not valid YAML: ${describeError(error)}`,
        {
          hint: `fix ${file}; abra cannot validate the recipe either`,
        },
      )
    }
    const parsed = RawCompose.safeParse(doc)
    if (!parsed.success) {
      throw new CcciError(
        'CCCI_LINT_INVALID',
        `${file} is not a compose file: ${z.prettifyError(parsed.error)}`,
        { hint: `fix ${file}; abra cannot validate the recipe either` },
      )
    }
    return { file, doc: parsed.data }
  })
  const sampleText = readIfExists(join(dir, '.env.sample'))
  const envSample =
    sampleText === undefined ? undefined : parseEnvFile(sampleText, { file: '.env.sample' }).values
  const abraShText = readIfExists(join(dir, 'abra.sh'))
  const abraSh = abraShText === undefined ? {} : parseAbraSh(abraShText, { file: 'abra.sh' })
  const rendered = await renderStack(dir, files, {
    ...envSample,
    STACK_NAME: app.stack,
    ...abraSh,
  })
  return {
    raw,
    rendered,
    envSample,
    abraSh,
    readme: readIfExists(join(dir, 'README.md')),
    tags: await listTags(dir),
  }
}

/**
 * Every compose file of a recipe checkout rendered together with its `.env.sample` values, as
 * lint reads it: what the recipe could deploy with any of its optional compose files enabled.
 */
export async function renderRecipeCheckout(
  app: Pick<AppRef, 'recipeDir' | 'stack'>,
): Promise<RenderedStack> {
  return (await gatherFacts(app)).rendered
}

/**
 * Lints a recipe checkout the way `abra recipe lint` does, as far as it can without the catalogue
 * or the network. Throws (as abra exits non-zero) only when the recipe cannot be read at all.
 * `ok` is false when an error-level rule is unsatisfied.
 */
export async function lintRecipe(app: Pick<AppRef, 'recipeDir' | 'stack'>): Promise<LintResult> {
  const facts = await gatherFacts(app)
  const rules: LintRule[] = LINT_RULES.map((spec) => {
    const outcome = CHECKS[spec.ref]?.(facts) ?? 'skip'
    return {
      ref: spec.ref,
      level: spec.level,
      description: spec.description,
      satisfied: outcome === true,
      skipped: outcome === 'skip',
    }
  })
  return { ok: lintOk(rules), rules }
}

/** The lint verdict: no error-level rule that is neither satisfied nor skipped. */
export function lintOk(rules: readonly LintRule[]): boolean {
  return !rules.some((r) => r.level === 'error' && !r.satisfied && !r.skipped)
}
