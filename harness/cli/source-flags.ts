import { validateRef, validateSource } from '../git/index.ts'
import { resolveSourceLocation } from '../run/source-location.ts'

/** The `--src` and `--ref` options of a command, for `parseArgs`. */
export const SOURCE_OPTIONS = {
  src: { type: 'string' },
  ref: { type: 'string' },
} as const

/**
 * The `--src` and `--ref` flags of a command, validated (no option injection into git). A local
 * `--src` path is resolved against the directory the user ran cc-ci from, for `ccci run` and
 * `ccci plan` alike.
 */
export function sourceFlags(values: { src?: string; ref?: string }): {
  src: string | undefined
  ref: string | undefined
} {
  return {
    src: values.src === undefined ? undefined : resolveSourceLocation(validateSource(values.src)),
    ref: values.ref === undefined ? undefined : validateRef(values.ref),
  }
}
