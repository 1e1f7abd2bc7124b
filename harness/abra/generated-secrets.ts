import { z } from 'zod'
import type { SecretPlan } from '../coop/secrets.ts'
import { CcciError } from '../errors.ts'
import { extractJson, parseWith, unexpectedOutput } from './abra-output.ts'

/**
 * `abra app secret generate <domain> --all -m`: the generated secrets as a JSON array of
 * `{name, value}` objects, `name` being the secret's key in the compose file (built from the
 * `NAME | VALUE` table headers; UNCONFIRMED, see docs/drivers.md). Secrets that already existed
 * are skipped by abra and not listed.
 */
export const GeneratedSecretsSchema = z
  .union([
    z.array(z.looseObject({ name: z.string().min(1), value: z.string() })),
    // Upper-case keys, as the table headers read.
    z
      .array(z.looseObject({ NAME: z.string().min(1), VALUE: z.string() }))
      .transform((rows) => rows.map((r) => ({ name: r.NAME, value: r.VALUE }))),
    // Nothing generated: abra may print null.
    z.null().transform(() => []),
  ])
  .transform((rows) => rows.map((r) => ({ name: r.name, value: r.value })))
export type GeneratedSecret = z.infer<typeof GeneratedSecretsSchema>[number]

/**
 * The generated names and values. `shown` is what errors may show of the output (it holds the
 * values): pass abra's message lines only.
 */
export function parseGeneratedSecrets(
  output: string,
  command: string,
  shown: string,
): GeneratedSecret[] {
  const lines = output.split('\n')
  if (!lines.some((l) => /^\s*[[{]/.test(l))) {
    if (lines.some((l) => /[│|]/.test(l))) {
      // A table instead of JSON: values were printed that cc-ci cannot register for redaction.
      throw unexpectedOutput(command, 'a table instead of JSON (does this abra know -m?)', shown)
    }
    // `null`, or only messages: nothing was generated (every secret existed already).
    return []
  }
  let json: unknown
  try {
    json = extractJson(output, command)
  } catch {
    // The error would quote the output, values included.
    json = undefined
  }
  return parseWith(GeneratedSecretsSchema, json, command, shown)
}

/**
 * The Docker names of the secrets abra generated: each listed key (or full name) matched to the
 * recipe's plan, whose name is the rendered compose `name:` (its version from whatever variable
 * the recipe uses, e.g. `${SECRET_OVH_CONSUMER_KEY}`). A name the recipe does not declare is
 * refused: cc-ci could not tell which secret it is, nor remove it.
 */
export function generatedSecretNames(
  generated: readonly Pick<GeneratedSecret, 'name'>[],
  plans: readonly Pick<SecretPlan, 'key' | 'name'>[],
  command: string,
): string[] {
  return generated.map(({ name }) => {
    const plan = plans.find((p) => p.key === name || p.name === name)
    if (plan === undefined) {
      throw new CcciError(
        'CCCI_ABRA_OUTPUT',
        `\`${command}\` generated a secret "${name}" that the recipe's compose files do not declare`,
        {
          hint: `the recipe declares ${plans.map((p) => p.key).join(', ') || 'no external secrets'}; is abra reading the same compose files (COMPOSE_FILE) as cc-ci?`,
        },
      )
    }
    return plan.name
  })
}
