import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

/**
 * Files under `dir` whose name matches `pattern`, recursively, relative to `dir`, in a stable
 * order; `node_modules` and dot folders are not entered. No folder: no files.
 */
export function findFiles(dir: string | undefined, pattern: RegExp): string[] {
  if (dir === undefined || !existsSync(dir)) {
    return []
  }
  const found: string[] = []
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name)
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && !name.startsWith('.')) {
          walk(path)
        }
      } else if (pattern.test(name)) {
        found.push(relative(dir, path))
      }
    }
  }
  walk(dir)
  return found
}
