import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { historyDir } from '../history/history-store.ts'
import { buildSite } from './build-site.ts'

/** The history's files with their sizes and change times: a new run changes it. */
export function historyStamp(home: string): string {
  const dir = historyDir(home)
  if (!existsSync(dir)) {
    return ''
  }
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const stat = statSync(join(dir, name))
      return `${name}:${stat.size}:${stat.mtimeMs}`
    })
    .join('|')
}

/**
 * The bridge's site upkeep: `refresh()` rebuilds the site when the history changed since the last
 * build (a run finished: its teardown appended a line), and on its first call. Returns whether it
 * rebuilt. Errors are the caller's to log.
 */
export function siteRefresher(
  home: string,
  dir: string,
  warn: (message: string) => void,
): { refresh: () => boolean } {
  let built: string | undefined
  return {
    refresh() {
      const stamp = historyStamp(home)
      if (stamp === built) {
        return false
      }
      buildSite(home, dir, warn)
      built = stamp
      return true
    },
  }
}
