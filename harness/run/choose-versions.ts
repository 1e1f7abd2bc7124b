import { listTags, tagsAt } from '../git/index.ts'
import { latestVersion, parseVersion, previousVersion, sortVersions } from '../recipe/versions.ts'

/** Base and head versions: what is deployed first, and whether an upgrade can be tested. */
export interface VersionChoice {
  headVersion: string | undefined
  baseVersion: string | undefined
  /** Why the upgrade tier cannot run, when it cannot. */
  upgradeSkip: string | undefined
  /** Tags that start like a version but are not a recipe version (`1.2.0+`, `v1.0`): not releases. */
  notVersions: string[]
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
  const notVersions = tags.filter((tag) => /^v?\d/.test(tag) && parseVersion(tag) === undefined)
  if (!upgradeSelected) {
    return {
      headVersion,
      baseVersion: undefined,
      upgradeSkip: 'upgrade tier not selected',
      notVersions,
    }
  }
  const base = headVersion === undefined ? latestVersion(tags) : previousVersion(tags, headVersion)
  if (base === undefined) {
    return {
      headVersion,
      baseVersion: undefined,
      upgradeSkip: 'no previous published version',
      notVersions,
    }
  }
  return { headVersion, baseVersion: base.raw, upgradeSkip: undefined, notVersions }
}

/** What the choice warns about: tags that look like releases and are not. */
export function versionWarnings(choice: VersionChoice): string[] {
  return choice.notVersions.length === 0
    ? []
    : [
        `not recipe versions, so not releases: tags ${choice.notVersions.join(', ')} (a release tag is <semver>+<app version>, e.g. 1.2.0+3.4.5)`,
      ]
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
