import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'
import { CcciError } from '../errors.ts'

/** The part of a compose file this module reads: top-level secrets and their `name:`. */
const ComposeSecrets = z.looseObject({
  secrets: z
    .record(z.string(), z.looseObject({ name: z.string().optional() }).nullable())
    .nullish(),
})

/** One compose file: its name (for errors) and its text. */
export interface ComposeText {
  file: string
  text: string
}

/**
 * The `name:` of every top-level secret as written in the compose files, before interpolation
 * (e.g. `${STACK_NAME}_ovh_consumer_key_${SECRET_OVH_CONSUMER_KEY}`), a later file overriding an
 * earlier one as Docker merges them. Keys without a `name:` are absent.
 */
export function secretNameTemplates(files: readonly ComposeText[]): Record<string, string> {
  const templates: Record<string, string> = {}
  for (const { file, text } of files) {
    let yaml: unknown
    try {
      yaml = parse(text)
    } catch (error) {
      throw new CcciError('CCCI_COMPOSE_YAML', `${file} is not valid YAML: ${String(error)}`, {
        hint: `fix ${file}; docker stack config shows the same error`,
      })
    }
    const parsed = ComposeSecrets.safeParse(yaml ?? {})
    if (!parsed.success) {
      throw new CcciError(
        'CCCI_COMPOSE_YAML',
        `${file}: top-level secrets are not a map of entries: ${z.prettifyError(parsed.error)}`,
        { hint: `fix the secrets: section of ${file}` },
      )
    }
    for (const [key, entry] of Object.entries(parsed.data.secrets ?? {})) {
      if (entry?.name !== undefined) {
        templates[key] = entry.name
      }
    }
  }
  return templates
}

/** `${VAR}`, `${VAR:-v1}`, `${VAR-v1}` or `$VAR` at the very end of a name template. */
const TRAILING_VARIABLE =
  /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?+-][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))$/

/**
 * The env variable a secret name template ends with: the one that versions the secret and whose
 * trailing comment holds its modifiers (`length=`, `charset=`, `generate=`). Real recipes use
 * `${SECRET_<KEY>_VERSION}` and also other names (`${SECRET_OVH_CONSUMER_KEY}` in the traefik
 * recipe). `undefined` when the name does not end with a variable (a literal version).
 */
export function referencedVersionVar(template: string): string | undefined {
  const match = TRAILING_VARIABLE.exec(template.trim())
  return match?.[1] ?? match?.[2]
}

/** {@link secretNameTemplates} of an app's compose files (relative to the recipe folder). */
export function readSecretNameTemplates(
  recipeDir: string,
  files: readonly string[],
): Record<string, string> {
  return secretNameTemplates(
    files.map((file) => ({ file, text: readFileSync(join(recipeDir, file), 'utf8') })),
  )
}
