import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppRef } from '../driver/app-driver.ts'
import { CcciError } from '../errors.ts'
import { parseAbraSh } from './abra-sh.ts'
import { parseEnvFile, type AppEnv } from './env-file.ts'

/** Refuses to create an app whose env file exists: another run (or a leftover) holds the domain. */
export function assertNewApp(app: AppRef): void {
  if (existsSync(app.envFile)) {
    throw new CcciError('CCCI_APP_EXISTS', `app ${app.domain} already exists (${app.envFile})`, {
      hint: 'another run may hold this domain; wait for it, or run `./ccci janitor` to reap leftovers',
    })
  }
}

/** The app env file as abra reads it. */
export function readAppEnv(app: AppRef): AppEnv {
  if (!existsSync(app.envFile)) {
    throw new CcciError('CCCI_APP_MISSING', `app ${app.domain} has no env file (${app.envFile})`, {
      hint: 'create the app first (`app new`); was it removed by a teardown or the janitor?',
    })
  }
  return parseEnvFile(readFileSync(app.envFile, 'utf8'), { file: app.envFile })
}

/** The compose files of a deployment: `COMPOSE_FILE` (colon-separated), else `compose.yml`. */
export function composeFiles(app: AppRef, env: AppEnv): string[] {
  const files = (env.values.COMPOSE_FILE ?? 'compose.yml')
    .split(':')
    .map((file) => file.trim())
    .filter((file) => file !== '')
  for (const file of files) {
    if (file.startsWith('/') || file.split('/').includes('..')) {
      throw new CcciError(
        'CCCI_COMPOSE_FILE_PATH',
        `COMPOSE_FILE names ${file}, outside the recipe`,
        {
          hint: 'list compose files relative to the recipe folder, e.g. compose.yml:compose.postgres.yml',
        },
      )
    }
    if (!existsSync(join(app.recipeDir, file))) {
      throw new CcciError(
        'CCCI_COMPOSE_FILE_MISSING',
        `${file} does not exist in recipe ${app.recipe}${file === 'compose.yml' ? '' : ' (named by COMPOSE_FILE)'}`,
        {
          hint:
            file === 'compose.yml'
              ? 'every recipe needs a compose.yml at its root'
              : `add ${file} to the recipe or drop it from COMPOSE_FILE in .env.sample`,
        },
      )
    }
  }
  return files
}

/**
 * The variables compose files are rendered with: the app env, `STACK_NAME`, and the `export`s of
 * the recipe's abra.sh (which win, as in abra's MergeAbraShEnv).
 */
export function deployEnv(app: AppRef, env: AppEnv): Record<string, string> {
  const abraSh = join(app.recipeDir, 'abra.sh')
  const exports = existsSync(abraSh)
    ? parseAbraSh(readFileSync(abraSh, 'utf8'), { file: abraSh })
    : {}
  return { ...env.values, STACK_NAME: app.stack, ...exports }
}
