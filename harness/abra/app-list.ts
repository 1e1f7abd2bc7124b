import { z } from 'zod'

/** abra prints every app field as a string; tolerate a boolean or number where a string is expected. */
const Text = z.union([z.string(), z.boolean(), z.number()]).transform(String)

/** One app of `abra app ls -m` (shape UNCONFIRMED: docs/drivers.md, "What remains unconfirmed"). */
export const AppListEntrySchema = z.looseObject({
  server: Text,
  recipe: Text,
  appName: Text,
  domain: Text.optional(),
  status: Text.default(''),
  chaos: Text.default('false'),
  chaosVersion: Text.default('unknown'),
  version: Text.default('unknown'),
  upgrade: Text.optional(),
})
export type AppListEntry = z.infer<typeof AppListEntrySchema>

/** `abra app ls -m`: apps grouped by server, with counters. */
export const AppListSchema = z.record(
  z.string(),
  z.looseObject({
    apps: z.array(AppListEntrySchema).nullable().default([]),
  }),
)
export type AppList = z.infer<typeof AppListSchema>

/** The entry of `domain` (by `appName`, else `domain`), or undefined when abra does not list it. */
export function findApp(list: AppList, domain: string): AppListEntry | undefined {
  for (const server of Object.values(list)) {
    const found = (server.apps ?? []).find((a) => a.appName === domain || a.domain === domain)
    if (found !== undefined) {
      return found
    }
  }
  return undefined
}

/** abra's words for "no value": its DeployMeta defaults (`unknown`, `false`) and empty fields. */
export function knownValue(value: string | undefined): string | undefined {
  return value === undefined || ['', 'unknown', 'false', '-'].includes(value.trim())
    ? undefined
    : value.trim()
}

/** The deployment facts `app ls -m -S` gives: deployed, version, chaos, chaos version. */
export function listedState(entry: AppListEntry | undefined): {
  deployed: boolean
  version: string | undefined
  chaos: boolean
  chaosVersion: string | undefined
} {
  return {
    deployed: entry?.status === 'deployed',
    version: knownValue(entry?.version),
    chaos: entry?.chaos === 'true',
    chaosVersion: knownValue(entry?.chaosVersion),
  }
}
