import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { RecipeHookName } from './tier-definition.ts'
import { CcciError } from '../errors.ts'
import type { AppHandle } from '../testing/app-handle.ts'

/** A recipe hook seeds or checks data before a tier's operation; what it returns is kept in the state. */
export type RecipeHook = (
  app: AppHandle,
) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void

/**
 * The named hook export of `recipes/<recipe>/ops.ts`, if any. `preInstall` runs once the app is
 * deployed, before the install tests; the others right before their tier's operation.
 */
export async function loadRecipeHook(
  configDir: string | undefined,
  name: RecipeHookName | undefined,
): Promise<RecipeHook | undefined> {
  const file = configDir === undefined ? undefined : join(configDir, 'ops.ts')
  if (name === undefined || file === undefined || !existsSync(file)) {
    return undefined
  }
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  const hook = module[name]
  if (hook === undefined) {
    return undefined
  }
  if (typeof hook !== 'function') {
    throw new CcciError(
      'CCCI_HOOK_INVALID',
      `${file}: export ${name} is a ${typeof hook}, expected a function`,
      {
        hint: `export async function ${name}(app) { ... }`,
      },
    )
  }
  return hook as RecipeHook
}
