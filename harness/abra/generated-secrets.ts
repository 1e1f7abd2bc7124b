import { z } from 'zod'
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
