import { randomInt } from 'node:crypto'
import { CcciError } from '../errors.ts'
import type { AppEnv } from './env-file.ts'
import { isExternal, type RenderedStack } from '../docker/index.ts'

/** Swarm limits object names to 64 characters. */
const MAX_SWARM_NAME = 64

/** abra's Docker name of a secret: `<stack>_<key>_<version>`. */
export function secretName(stack: string, key: string, version: string): string {
  return `${stack}_${key}_${version}`
}

/** The app env variable holding a secret's version (and its modifiers): `SECRET_<KEY>_VERSION`. */
export function secretVersionVar(key: string): string {
  return `SECRET_${key.toUpperCase()}_VERSION`
}

/** One secret a recipe declares, as abra would generate it. */
export interface SecretPlan {
  /** The key under top-level `secrets:`, e.g. `db_password`. */
  key: string
  /** The rendered swarm name, `<stack>_<key>_<version>`. */
  name: string
  version: string
  /** `SECRET_<KEY>_VERSION`: where the version and its modifiers live in the app env. */
  envVar: string
  length: number | undefined
  charset: string[]
}

/** The external secrets of a rendered stack with their `length=` / `charset=` modifiers. */
export function planSecrets(rendered: RenderedStack, env: AppEnv): SecretPlan[] {
  return Object.entries(rendered.secrets)
    .filter(([, entry]) => isExternal(entry))
    .map(([key, entry]) => {
      const name = entry?.name ?? key
      const envVar = secretVersionVar(key)
      const version = name.slice(name.lastIndexOf('_') + 1)
      if (!name.includes('_') || version === '') {
        throw new CcciError(
          'CCCI_SECRET_VERSION',
          `secret ${key} renders to "${name}", which has no version`,
          {
            hint: `name it \${STACK_NAME}_${key}_\${${envVar}} and set ${envVar}=v1 in .env.sample`,
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
      const modifiers = env.modifiers[envVar] ?? {}
      const length = modifiers.length === undefined ? undefined : Number(modifiers.length)
      if (length !== undefined && (!Number.isInteger(length) || length < 1 || length > 4096)) {
        throw new CcciError(
          'CCCI_SECRET_LENGTH',
          `${envVar} has length=${modifiers.length}; expected a whole number 1-4096`,
          {
            hint: `fix the "# length=" comment on ${envVar} in .env.sample`,
          },
        )
      }
      const charset = (modifiers.charset ?? 'default').split(',').filter(Boolean)
      return { key, name, version, envVar, length, charset }
    })
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const SPECIAL = '!@#%^&*_-+=.,:~'
const CONSONANTS = 'bdfghjklmnprstvwxz'
const VOWELS = 'aeiou'

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)] ?? ''
}

/**
 * A fresh value: `length` random characters when the recipe asks for a length (abra's
 * `# length=N`), else a readable dash-joined passphrase as abra generates.
 */
export function generateSecretValue(plan: Pick<SecretPlan, 'length' | 'charset'>): string {
  if (plan.length !== undefined) {
    const alphabet = ALNUM + (plan.charset.includes('special') ? SPECIAL : '')
    return Array.from({ length: plan.length }, () => pick(alphabet)).join('')
  }
  const word = () => Array.from({ length: 4 }, () => pick(CONSONANTS) + pick(VOWELS)).join('')
  return Array.from({ length: 5 }, word).join('-')
}
