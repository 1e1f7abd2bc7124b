import type { RepoRef } from '../forge/gitea-client.ts'
import { discoverRecipes, loadRecipeConfig } from '../recipe/load-recipe.ts'
import { defaultSource } from '../run/source.ts'

/** A recipe the bridge watches: its name and its repository on the forge. */
export interface EnrolledRecipe {
  recipe: string
  repo: RepoRef
}

/**
 * The forge repository a recipe source names: an http(s) URL on the forge's host, below its path,
 * of exactly `owner/name` (`.git` optional). Anything else (a path, SSH, another host) is not.
 */
export function repoOfSource(source: string, forgeUrl: string): RepoRef | undefined {
  let src: URL
  let forge: URL
  try {
    src = new URL(source)
    forge = new URL(forgeUrl)
  } catch {
    return undefined
  }
  if (src.origin !== forge.origin || src.username !== '' || src.search !== '' || src.hash !== '') {
    return undefined
  }
  const base = forge.pathname.replace(/\/+$/, '')
  if (!src.pathname.startsWith(`${base}/`)) {
    return undefined
  }
  const rest = src.pathname.slice(base.length + 1).replace(/\.git$/, '')
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(rest)
  if (match === null) {
    return undefined
  }
  return { owner: match[1] as string, name: match[2] as string }
}

/**
 * Every recipe with a config folder whose source (recipe.ts `source`, default the Co-op Cloud
 * catalogue URL) is a repository on the forge. A recipe whose recipe.ts does not load is left
 * out and reported.
 */
export async function enrolledRecipes(
  recipeDirs: readonly string[],
  forgeUrl: string,
): Promise<{ enrolled: EnrolledRecipe[]; problems: string[] }> {
  const enrolled: EnrolledRecipe[] = []
  const problems: string[] = []
  for (const entry of discoverRecipes(recipeDirs)) {
    try {
      const config = await loadRecipeConfig(entry)
      const repo = repoOfSource(defaultSource(entry.name, config, entry.dir), forgeUrl)
      if (repo !== undefined) {
        enrolled.push({ recipe: entry.name, repo })
      }
    } catch (error) {
      problems.push(`${entry.name}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return { enrolled, problems }
}
