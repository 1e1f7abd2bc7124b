import { createHash } from 'node:crypto'
import { join } from 'node:path'

/**
 * Where a recipe's warm canonical lives in cc-ci's state folder:
 *
 * ```
 * <home>/warm/<recipe>/canonical.json        the registry record
 * <home>/warm/<recipe>/known-good            -> snapshots/<id> (a symlink, swapped atomically)
 * <home>/warm/<recipe>/snapshots/<id>/       manifest.json, secrets.json, <volume key>.tar.gz
 * <home>/warm/<recipe>/recipe/               the checkout the canonical was last deployed from
 * <home>/warm/<recipe>/lock                  held while the canonical is promoted or removed
 * ```
 */
export function warmRoot(home: string): string {
  return join(home, 'warm')
}

export function canonicalDir(home: string, recipe: string): string {
  return join(warmRoot(home), recipe)
}

export function registryFile(home: string, recipe: string): string {
  return join(canonicalDir(home, recipe), 'canonical.json')
}

export function knownGoodLink(home: string, recipe: string): string {
  return join(canonicalDir(home, recipe), 'known-good')
}

export function snapshotsDir(home: string, recipe: string): string {
  return join(canonicalDir(home, recipe), 'snapshots')
}

export function canonicalLock(home: string, recipe: string): string {
  return join(canonicalDir(home, recipe), 'lock')
}

/**
 * The canonical's domain, stable per recipe: `warm-<recipe>.<suffix>`; a long recipe name is
 * shortened with a hash of the whole name, so the stack name stays within abra's limit.
 */
export function canonicalDomain(recipe: string, suffix: string): string {
  const label =
    recipe.length <= 22
      ? recipe
      : `${recipe.slice(0, 15)}-${createHash('sha256').update(recipe).digest('hex').slice(0, 6)}`
  return `warm-${label}.${suffix}`
}
