import { existsSync, realpathSync } from 'node:fs'
import { homedir } from 'node:os'
import { resolve } from 'node:path'
import { isLocalSource } from '../git/index.ts'

/**
 * The directory the user ran cc-ci from. `./ccci` exports it as `CCCI_CALLER_CWD` (the CLI, Vitest
 * and its workers may run elsewhere, e.g. from the cc-ci checkout); otherwise this process's.
 */
export function callerCwd(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.CCCI_CALLER_CWD
  return given !== undefined && given !== '' ? given : process.cwd()
}

/**
 * Where a recipe source is: a URL or `user@host:path` as given; a local path resolved against
 * `base` (the caller's directory; `~/` is the home folder) and, when it exists, through its
 * symbolic links, so that every spelling of one folder is the same source (and cache entry).
 */
export function resolveSourceLocation(src: string, base: string = callerCwd()): string {
  if (!isLocalSource(src)) {
    return src
  }
  const expanded = src === '~' || src.startsWith('~/') ? `${homedir()}${src.slice(1)}` : src
  const absolute = resolve(base, expanded)
  return existsSync(absolute) ? realpathSync(absolute) : absolute
}
