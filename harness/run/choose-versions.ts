import { listTags, tagsAt } from '../git/index.ts'
import { latestVersion, previousVersion, sortVersions } from '../recipe/versions.ts'

/** Base and head versions: what is deployed first, and whether an upgrade can be tested. */
export interface VersionChoice {
  headVersion: string | undefined
  baseVersion: string | undefined
  /** Why the upgrade tier cannot run, when it cannot. */
  upgradeSkip: string | undefined
}

/**
 * The decision, pure: `tags` are the releases in the head's history, `atHead` those on the head
 * commit itself. The base is the release before the head's own version, else the newest release.
 */
export function decideVersions(
  tags: readonly string[],
  atHead: readonly string[],
  upgradeSelected: boolean,
): VersionChoice {
  const headVersion = sortVersions(atHead).at(-1)?.raw
  if (!upgradeSelected) {
    return { headVersion, baseVersion: undefined, upgradeSkip: 'upgrade tier not selected' }
  }
  const base = headVersion === undefined ? latestVersion(tags) : previousVersion(tags, headVersion)
  if (base === undefined) {
    return { headVersion, baseVersion: undefined, upgradeSkip: 'no previous published version' }
  }
  return { headVersion, baseVersion: base.raw, upgradeSkip: undefined }
}

export async function chooseVersions(
  repo: string,
  commit: string,
  upgradeSelected: boolean,
): Promise<VersionChoice> {
  // Only releases in the head's history: a PR branched before the newest release upgrades from
  // the release it was branched after, not over a newer one.
  const tags = (await listTags(repo, { mergedInto: commit })).map((t) => t.name)
  return decideVersions(tags, await tagsAt(repo, commit), upgradeSelected)
}
