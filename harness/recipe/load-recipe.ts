import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CcciError } from '../errors.ts'
import { withDeadline } from '../poll.ts'
import { RecipeConfigSchema, zeroConfig, type RecipeConfig } from './recipe-config.ts'
import { isRecipeName } from './recipe-name.ts'

/** A recipe cc-ci knows: its name and its config folder (undefined for a zero-config recipe). */
export interface RecipeEntry {
  name: string
  dir: string | undefined
}

/** Every `<dir>/<recipe>/` holding a recipe.ts or tier folders, first directory wins. */
export function discoverRecipes(dirs: readonly string[]): RecipeEntry[] {
  const found = new Map<string, RecipeEntry>()
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      continue
    }
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (!found.has(name) && isRecipeName(name) && statSync(path).isDirectory()) {
        found.set(name, { name, dir: path })
      }
    }
  }
  return [...found.values()]
}

/** Why a recipe.ts did not load, with the way out. */
function loadError(file: string, error: unknown): CcciError {
  return new CcciError(
    'CCCI_RECIPE_CONFIG_LOAD',
    `${file} does not load: ${error instanceof Error ? error.message : String(error)}`,
    {
      hint:
        'fix the syntax or import error in that file; it must `export default defineRecipe({...})`. ' +
        'Node loads it with its type stripping: erasable TypeScript only (no enum, no namespace), ' +
        'relative imports with their .ts extension; an ES module (a package.json above it that says "type": "commonjs" makes it one it cannot be)',
      cause: error,
    },
  )
}

/** How long a recipe.ts may take to load (its top-level code included). */
export const RECIPE_LOAD_TIMEOUT_MS = 30_000

/**
 * The recipe.ts files that did not finish loading in this process, with their error: a run loads a
 * recipe's config several times (its Vitest config, the setup, the teardown), maybe through more
 * than one copy of this module (Vite's module runner in cc-ci's own tests), and an import that
 * never settles would make each wait its whole deadline again.
 */
const timedOut: Map<string, CcciError> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for('cc-ci.recipe-config-timeouts')
] ??= new Map<string, CcciError>()) as Map<string, CcciError>

/** The `CCCI_RECIPE_CONFIG_TIMEOUT` error of a recipe.ts that did not load within `timeoutMs`. */
function loadTimeout(file: string, timeoutMs: number): CcciError {
  return new CcciError(
    'CCCI_RECIPE_CONFIG_TIMEOUT',
    `${file} did not finish loading within ${Math.round(timeoutMs / 1000)}s`,
    {
      hint: 'recipe.ts must only declare its config: remove top-level awaits, network calls or loops that never end (it is loaded by `ccci plan` and at the start of every run)',
    },
  )
}

/**
 * Loads and validates `<dir>/recipe.ts` within `timeoutMs` (a recipe.ts that never finishes
 * loading is an error naming the file, not a hang). Errors name the file, the key and what was expected.
 * A recipe without the file (or without a folder) gets the defaults.
 */
export async function loadRecipeConfig(
  entry: RecipeEntry,
  timeoutMs: number = RECIPE_LOAD_TIMEOUT_MS,
): Promise<RecipeConfig> {
  const file = entry.dir === undefined ? undefined : join(entry.dir, 'recipe.ts')
  if (file === undefined || !existsSync(file)) {
    return zeroConfig()
  }
  let module: { default?: unknown }
  const stuck = timedOut.get(file)
  if (stuck !== undefined) {
    throw stuck
  }
  try {
    module = (await withDeadline(
      import(pathToFileURL(file).href) as Promise<unknown>,
      timeoutMs,
      () => loadTimeout(file, timeoutMs),
    )) as { default?: unknown }
  } catch (error) {
    if (error instanceof CcciError) {
      if (error.code === 'CCCI_RECIPE_CONFIG_TIMEOUT') {
        timedOut.set(file, error)
      }
      throw error
    }
    throw loadError(file, error)
  }
  if (module.default === undefined) {
    throw new CcciError('CCCI_RECIPE_CONFIG_EXPORT', `${file} has no default export`, {
      hint: 'end it with `export default defineRecipe({ ... })`',
    })
  }
  const parsed = RecipeConfigSchema.safeParse(module.default)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = issue.path.length === 0 ? '(top level)' : issue.path.join('.')
      const unknown = issue.code === 'unrecognized_keys' ? ` ${issue.keys.join(', ')}` : ''
      return `  ${key}: ${issue.message}${unknown}`
    })
    throw new CcciError(
      'CCCI_RECIPE_CONFIG_INVALID',
      `${file} is not a valid recipe config:\n${lines.join('\n')}`,
      {
        hint: 'docs/writing-a-recipe.md lists every key and its type (docs/recipe.schema.json)',
      },
    )
  }
  return parsed.data
}
