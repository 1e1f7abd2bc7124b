import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { cloneRepo, listTreeFiles, resolveRef, showFileBuffer, fetchAll } from '../git/index.ts'
import type { RecipeConfig } from '../recipe/recipe-config.ts'
import { withLock } from './file-lock.ts'
import type { Trigger } from './trigger.ts'

/** The code under test, fetched once into a cache and pinned to one commit. */
export interface PreparedSource {
  src: string
  ref: string | undefined
  commit: string
  /** A clone of the recipe repository with every tag (a cache; runs clone it again). */
  cacheRepo: string
  /** Repo-local tests (`tests/`) at `commit`, copied out right after the fetch; undefined if none. */
  repoLocalDir: string | undefined
}

export function defaultSource(recipe: string, config: RecipeConfig): string {
  return config.source ?? `https://git.coopcloud.tech/coop-cloud/${recipe}.git`
}

/**
 * Fetches the recipe into `<home>/sources/<recipe>/<hash of src>/repo` (clone once, fetch after),
 * resolves the ref to a commit and snapshots the repo-local tests of that commit, so that later
 * checkouts (the base version) cannot change what runs.
 */
export async function prepareSource(
  home: string,
  recipe: string,
  config: RecipeConfig,
  trigger: Pick<Trigger, 'src' | 'ref'>,
): Promise<PreparedSource> {
  const src = trigger.src ?? defaultSource(recipe, config)
  const key = createHash('sha256').update(src).digest('hex').slice(0, 12)
  const base = join(home, 'sources', recipe, key)
  const cacheRepo = join(base, 'repo')
  return withLock(join(base, '.lock'), async () => {
    if (existsSync(join(cacheRepo, '.git'))) {
      await fetchAll(cacheRepo)
    } else {
      rmSync(cacheRepo, { recursive: true, force: true })
      mkdirSync(base, { recursive: true })
      await cloneRepo(src, cacheRepo)
      writeFileSync(join(base, 'source.json'), `${JSON.stringify({ src })}\n`)
    }
    const commit = await resolveRef(cacheRepo, trigger.ref ?? 'HEAD')
    const repoLocalDir = await snapshotTests(cacheRepo, commit, join(base, 'snapshots', commit))
    return { src, ref: trigger.ref, commit, cacheRepo, repoLocalDir }
  })
}

async function snapshotTests(
  repo: string,
  commit: string,
  dest: string,
): Promise<string | undefined> {
  const files = await listTreeFiles(repo, commit, 'tests')
  if (files.length === 0) {
    return undefined
  }
  const testsDir = join(dest, 'tests')
  if (existsSync(testsDir)) {
    return testsDir
  }
  const partial = `${dest}.partial-${process.pid}`
  rmSync(partial, { recursive: true, force: true })
  for (const file of files) {
    const target = join(partial, file)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, await showFileBuffer(repo, commit, file))
  }
  mkdirSync(dirname(dest), { recursive: true })
  rmSync(dest, { recursive: true, force: true })
  renameSync(partial, dest)
  return testsDir
}
