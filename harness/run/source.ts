import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { buildRecipeRepo } from '../fixtures/recipe-repo.ts'
import { cloneRepo, listTreeFiles, resolveRef, showFileBuffer, fetchAll } from '../git/index.ts'
import type { RecipeConfig } from '../recipe/recipe-config.ts'
import { withLock } from '../files/file-lock.ts'
import { resolveSourceLocation } from './source-location.ts'
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

/**
 * Where a recipe comes from when no SRC is given: its config's `source` (a relative path is
 * resolved against the recipe's config folder), else the Co-op Cloud catalogue.
 */
export function defaultSource(
  recipe: string,
  config: RecipeConfig,
  configDir: string | undefined,
): string {
  const source = config.source
  if (source === undefined) {
    return `https://git.coopcloud.tech/coop-cloud/${recipe}.git`
  }
  const local = source.startsWith('./') || source.startsWith('../')
  return local && configDir !== undefined ? resolve(configDir, source) : source
}

/**
 * A local folder with a `fixture.json` and no `.git` is a recipe source kept as files (the
 * example recipe): it is turned into a tagged git repository under `<home>/examples/<recipe>`.
 */
async function materialise(home: string, recipe: string, src: string): Promise<string> {
  if (!isAbsolute(src) || !existsSync(join(src, 'fixture.json')) || existsSync(join(src, '.git'))) {
    return src
  }
  return withLock(join(home, 'examples', `.${recipe}.lock`), async () => {
    const repo = await buildRecipeRepo(src, join(home, 'examples', recipe))
    return repo.path
  })
}

/**
 * Fetches the recipe into `<home>/sources/<recipe>/<hash of src>/repo` (clone once, fetch after;
 * a local path is keyed on its resolved location, so `./r`, `r/` and `/abs/r` share one cache),
 * resolves the ref to a commit and snapshots the repo-local tests of that commit, so that later
 * checkouts (the base version) cannot change what runs.
 */
export async function prepareSource(
  home: string,
  recipe: string,
  config: RecipeConfig,
  trigger: Pick<Trigger, 'src' | 'ref'>,
  configDir?: string,
): Promise<PreparedSource> {
  // A local path is resolved (caller's directory, symbolic links) before it keys the cache.
  const src = await materialise(
    home,
    recipe,
    resolveSourceLocation(trigger.src ?? defaultSource(recipe, config, configDir)),
  )
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
