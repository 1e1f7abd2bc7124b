import { CcciError } from '../errors.ts'

const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const DIGITS = '0123456789'
const ALNUM = LOWER + UPPER + DIGITS
const SPECIAL = '!@#%^&*_-+=.,:~'

/**
 * The characters of each `charset=` name cc-ci knows. `default` and `special` are abra's
 * (`special` adds punctuation to the default); `alnum` and `hex` are used by real recipes.
 */
const CHARSETS: Readonly<Record<string, string>> = {
  default: ALNUM,
  special: ALNUM + SPECIAL,
  alnum: ALNUM,
  hex: DIGITS + 'abcdef',
}

/** Charsets whose values a passphrase (words joined by `-`) would not satisfy. */
const NEED_LENGTH = new Set(['alnum', 'hex'])

/** The charset names cc-ci knows, for messages. */
export const KNOWN_CHARSETS = Object.keys(CHARSETS)

/** Where a charset comes from, for messages: the env variable that carries it. */
interface CharsetSource {
  envVar: string | undefined
  length: number | undefined
}

/**
 * Checks a secret's `charset=` list (comma-separated names, empty = `default`): every name must
 * be one cc-ci knows, and `alnum` / `hex` need a `length=` (without one abra generates a
 * passphrase, which is neither). Throws `CCCI_SECRET_MODIFIER` rather than guess.
 */
export function checkCharset(charset: readonly string[], source: CharsetSource): void {
  const where = source.envVar ?? 'the secret'
  const unknown = charset.filter((name) => !(name in CHARSETS))
  if (unknown.length > 0) {
    throw new CcciError(
      'CCCI_SECRET_MODIFIER',
      `${where} has charset=${charset.join(',')}: cc-ci does not know ${unknown.join(', ')}`,
      {
        hint: `use ${KNOWN_CHARSETS.join(', ')} (comma-separated) in the "# charset=" comment of ${where} in .env.sample`,
      },
    )
  }
  const needing = charset.filter((name) => NEED_LENGTH.has(name))
  if (source.length === undefined && needing.length > 0) {
    throw new CcciError(
      'CCCI_SECRET_MODIFIER',
      `${where} has charset=${charset.join(',')} but no length=: without one a passphrase is generated, which is not ${needing.join(', ')}`,
      { hint: `add a length, e.g. "# length=32 charset=${charset.join(',')}", to ${where}` },
    )
  }
}

/** The characters a random value of these charsets is drawn from (their union; `default` if none). */
export function charsetAlphabet(charset: readonly string[]): string {
  const names = charset.length === 0 ? ['default'] : charset
  const chars = new Set(names.flatMap((name) => [...(CHARSETS[name] ?? '')]))
  if (chars.size === 0) {
    throw new CcciError('CCCI_SECRET_MODIFIER', `unknown charset ${names.join(',')}`, {
      hint: `use ${KNOWN_CHARSETS.join(', ')}`,
    })
  }
  return [...chars].join('')
}
