import { randomInt } from 'node:crypto'
import { CcciError } from '../errors.ts'
import type { AppEnv } from './env-file.ts'
import { isExternal, type RenderedStack } from '../docker/index.ts'
import { charsetAlphabet, checkCharset } from './secret-charset.ts'
import { referencedVersionVar } from './secret-name-templates.ts'

/** Swarm limits object names to 64 characters. */
const MAX_SWARM_NAME = 64

/** abra's Docker name of a secret: `<stack>_<key>_<version>`. */
export function secretName(stack: string, key: string, version: string): string {
  return `${stack}_${key}_${version}`
}

/**
 * The conventional env variable of a secret's version: `SECRET_<KEY>_VERSION`. What a recipe
 * really uses is the variable its compose `name:` ends with ({@link referencedVersionVar}).
 */
export function secretVersionVar(key: string): string {
  return `SECRET_${key.toUpperCase()}_VERSION`
}

/** One secret a recipe declares, as abra would generate it. */
export interface SecretPlan {
  /** The key under top-level `secrets:`, e.g. `db_password`. */
  key: string
  /** The rendered swarm name, `<stack>_<key>_<version>`. */
  name: string
  /** The text after the last `_` of the rendered name. */
  version: string
  /**
   * The env variable the compose `name:` ends with (`SECRET_<KEY>_VERSION` by convention, any
   * name in real recipes): its trailing comment holds the modifiers. `undefined` for a literal
   * version.
   */
  envVar: string | undefined
  length: number | undefined
  /** `charset=` names, checked against the ones cc-ci knows; empty = `default`. */
  charset: string[]
  /** False with `# generate=false`: the secret is inserted, never generated. */
  generate: boolean
}

/**
 * The external secrets of a rendered stack with their `length=` / `charset=` / `generate=`
 * modifiers. `templates` are the secrets' `name:` as written in the compose files
 * (secret-name-templates.ts): the version is taken from the rendered name, the modifiers from the
 * variable the written name ends with.
 */
export function planSecrets(
  rendered: RenderedStack,
  env: AppEnv,
  templates: Readonly<Record<string, string>>,
): SecretPlan[] {
  return Object.entries(rendered.secrets)
    .filter(([, entry]) => isExternal(entry))
    .map(([key, entry]) => {
      const name = entry?.name ?? key
      const template = templates[key]
      const envVar = template === undefined ? undefined : referencedVersionVar(template)
      const version = name.slice(name.lastIndexOf('_') + 1)
      if (!name.includes('_') || version === '') {
        const shown = envVar ?? secretVersionVar(key)
        throw new CcciError(
          'CCCI_SECRET_VERSION',
          `secret ${key} renders to "${name}", which has no version`,
          {
            hint: `name it \${STACK_NAME}_${key}_\${${shown}} and set ${shown}=v1 in .env.sample`,
          },
        )
      }
      if (name.length > MAX_SWARM_NAME) {
        throw new CcciError(
          'CCCI_SECRET_NAME_LENGTH',
          `secret name ${name} is ${name.length} characters; swarm allows ${MAX_SWARM_NAME}`,
          {
            hint: `shorten the secret key "${key}" (abra lint R015 warns past 12 characters) or the app domain`,
          },
        )
      }
      return { key, name, version, envVar, ...readModifiers(env, envVar) }
    })
}

/** The modifiers of a secret's version variable, checked. */
function readModifiers(
  env: AppEnv,
  envVar: string | undefined,
): Pick<SecretPlan, 'length' | 'charset' | 'generate'> {
  const modifiers = envVar === undefined ? {} : (env.modifiers[envVar] ?? {})
  const where = envVar ?? 'the secret'
  const length = modifiers.length === undefined ? undefined : Number(modifiers.length)
  if (length !== undefined && (!Number.isInteger(length) || length < 1 || length > 4096)) {
    throw new CcciError(
      'CCCI_SECRET_LENGTH',
      `${where} has length=${modifiers.length}; expected a whole number 1-4096`,
      {
        hint: `fix the "# length=" comment on ${where} in .env.sample`,
      },
    )
  }
  const charset = (modifiers.charset ?? '').split(',').filter(Boolean)
  checkCharset(charset, { envVar, length })
  const generate = modifiers.generate
  if (generate !== undefined && generate !== 'true' && generate !== 'false') {
    throw new CcciError(
      'CCCI_SECRET_MODIFIER',
      `${where} has generate=${generate}; expected true or false`,
      { hint: `write "# generate=false" on ${where} for a secret that is inserted, not generated` },
    )
  }
  return { length, charset, generate: generate !== 'false' }
}

/**
 * The secrets marked `generate=false` that do not exist: nobody inserted them. Throws
 * `CCCI_SECRET_NOT_INSERTED` naming them (never a value), or returns when all exist.
 */
export function checkInsertedSecrets(
  plans: readonly SecretPlan[],
  existing: ReadonlySet<string>,
): void {
  const missing = plans.filter((plan) => !plan.generate && !existing.has(plan.name))
  if (missing.length === 0) {
    return
  }
  const list = missing.map((plan) => `${plan.key} (${plan.name})`).join(', ')
  throw new CcciError(
    'CCCI_SECRET_NOT_INSERTED',
    `secrets marked generate=false were not inserted: ${list}`,
    {
      hint: 'abra never generates these; insert each before secrets are generated (install-steps.sh runs after app new), e.g. `abra app secret insert <domain> <key> <version> <file> -f`, or drop generate=false',
    },
  )
}

const CONSONANTS = 'bdfghjklmnprstvwxz'
const VOWELS = 'aeiou'

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)] ?? ''
}

/**
 * A fresh value: `length` random characters of the `charset` when the recipe asks for a length
 * (abra's `# length=N`), else a readable dash-joined passphrase as abra generates.
 */
export function generateSecretValue(plan: Pick<SecretPlan, 'length' | 'charset'>): string {
  if (plan.length !== undefined) {
    const alphabet = charsetAlphabet(plan.charset)
    return Array.from({ length: plan.length }, () => pick(alphabet)).join('')
  }
  const word = () => Array.from({ length: 4 }, () => pick(CONSONANTS) + pick(VOWELS)).join('')
  return Array.from({ length: 5 }, word).join('-')
}
