import { validateRef, validateSource } from '../git/index.ts'

/** The `--src` and `--ref` flags of a command, validated (no option injection into git). */
export function sourceFlags(values: { src?: string; ref?: string }): {
  src: string | undefined
  ref: string | undefined
} {
  return {
    src: values.src === undefined ? undefined : validateSource(values.src),
    ref: values.ref === undefined ? undefined : validateRef(values.ref),
  }
}
