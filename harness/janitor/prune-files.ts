import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'

/**
 * Source caches whose source was a local folder that no longer exists (a fixture, a removed
 * checkout): nothing can refresh them, so they go. Caches of URLs are kept.
 */
export function pruneSourceCaches(home: string): string[] {
  const root = join(home, 'sources')
  const removed: string[] = []
  for (const recipe of existsSync(root) ? readdirSync(root) : []) {
    for (const key of readdirSync(join(root, recipe))) {
      const base = join(root, recipe, key)
      const src = readSource(join(base, 'source.json'))
      if (
        src !== undefined &&
        isAbsolute(src) &&
        !existsSync(src) &&
        !existsSync(join(base, '.lock'))
      ) {
        rmSync(base, { recursive: true, force: true })
        removed.push(base)
      }
    }
  }
  return removed
}

function readSource(file: string): string | undefined {
  try {
    const value = (JSON.parse(readFileSync(file, 'utf8')) as { src?: unknown }).src
    return typeof value === 'string' ? value : undefined
  } catch {
    return undefined
  }
}

/** Results folders older than `days` days. */
export function pruneResults(home: string, days: number): string[] {
  const root = join(home, 'results')
  const cutoff = Date.now() - days * 86_400_000
  const removed: string[] = []
  for (const name of existsSync(root) ? readdirSync(root) : []) {
    const dir = join(root, name)
    if (statSync(dir).mtimeMs < cutoff) {
      rmSync(dir, { recursive: true, force: true })
      removed.push(dir)
    }
  }
  return removed
}
