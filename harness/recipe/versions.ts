/**
 * Co-op Cloud recipe release versions. A release is a git tag `<recipe-semver>+<app-version>`,
 * e.g. `1.11.0+1.29.0` or `2.0.1+1.0.6-social-amd64`: the recipe maintainer owns the semver part
 * in front of the `+`, the part after it is the packaged app's version, usually its image tag.
 *
 * Accepted forms (anything else is not a release, and is ignored by the list helpers, never thrown):
 * - recipe part: strict semver `MAJOR.MINOR.PATCH`, no leading `v`, no leading zeros, with an
 *   optional semver prerelease (`1.0.0-beta.1+x`), ordered by semver precedence. No real recipe tag
 *   using one was found, but it is valid semver and sorts correctly below the release.
 * - app part: non-empty, ASCII letters, digits and `. _ - +`, starting with a letter, digit or `_`.
 *   So `6.42.0-alpine`, `v1.6.870-0`, `1.0.6-social-amd64` and even `latest` are accepted (the app
 *   part is never judged, only compared); whitespace, `/` and other punctuation are not, because
 *   a version ends up in file names such as `release/<version>`.
 * - the whole string must match exactly: callers pass trimmed tag names (`git tag --list` lines).
 */

/** One release version, parsed from its tag. */
export interface RecipeVersion {
  /** The tag exactly as given, e.g. `1.3.0+6.42.0-alpine`. */
  readonly raw: string
  readonly major: number
  readonly minor: number
  readonly patch: number
  /** The recipe semver prerelease without its `-`, e.g. `beta.1`; absent on normal releases. */
  readonly prerelease?: string
  /** Everything after the first `+`, e.g. `6.42.0-alpine`. */
  readonly app: string
}

const NUMBER = '0|[1-9][0-9]*'
const PRERELEASE_ID = '0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*'
const RELEASE = new RegExp(
  `^(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})` +
    `(?:-((?:${PRERELEASE_ID})(?:\\.(?:${PRERELEASE_ID}))*))?` +
    `\\+([0-9A-Za-z_][0-9A-Za-z_.+-]*)$`,
)

/** Parses a release tag; returns `undefined` for anything that is not one (never throws). */
export function parseVersion(tag: string): RecipeVersion | undefined {
  const m = RELEASE.exec(tag)
  if (m == null) {
    return undefined
  }
  const [, major, minor, patch, prerelease, app] = m
  const numbers = [Number(major), Number(minor), Number(patch)] as const
  if (app === undefined || !numbers.every(Number.isSafeInteger)) {
    return undefined
  }
  const [maj, min, pat] = numbers
  const version = { raw: tag, major: maj, minor: min, patch: pat, app }
  return prerelease === undefined ? version : { ...version, prerelease }
}

/**
 * Total, deterministic order: recipe semver precedence (a prerelease sorts below its release),
 * then the app part in natural order (`1.9` < `1.10`), then the raw string, so two versions compare
 * equal only when their tags are identical. Returns a negative number, zero or a positive number.
 */
export function compareVersions(a: RecipeVersion, b: RecipeVersion): number {
  return (
    a.major - b.major ||
    a.minor - b.minor ||
    a.patch - b.patch ||
    comparePrerelease(a.prerelease, b.prerelease) ||
    compareNatural(a.app, b.app) ||
    compareText(a.raw, b.raw)
  )
}

/** The releases among `tags`, ascending and without duplicates; other tags are dropped. */
export function sortVersions(tags: readonly string[]): RecipeVersion[] {
  return splitTags(tags).releases
}

/**
 * Separates release tags from the rest: `releases` ascending without duplicates, `ignored` the
 * other tags in their input order (worth showing: a mistyped release tag lands here).
 */
export function splitTags(tags: readonly string[]): {
  releases: RecipeVersion[]
  ignored: string[]
} {
  const byRaw = new Map<string, RecipeVersion>()
  const ignored: string[] = []
  for (const tag of tags) {
    const version = parseVersion(tag)
    if (version === undefined) {
      ignored.push(tag)
    } else {
      byRaw.set(tag, version)
    }
  }
  return { releases: [...byRaw.values()].sort(compareVersions), ignored }
}

/** The newest release among `tags`, or `undefined` when there is none. */
export function latestVersion(tags: readonly string[]): RecipeVersion | undefined {
  return sortVersions(tags).at(-1)
}

/**
 * The newest release in `tags` strictly older than `version` (by {@link compareVersions}), i.e. the
 * version an upgrade to `version` starts from. `version` may be a published tag or any parseable
 * version not tagged yet (a PR's next release). Returns `undefined` when nothing older is published
 * or when `version` is not a release at all (a commit hash, a branch, `latest`): the caller decides
 * what to upgrade from then, this function does not guess.
 */
export function previousVersion(
  tags: readonly string[],
  version: string | RecipeVersion,
): RecipeVersion | undefined {
  const target = typeof version === 'string' ? parseVersion(version) : version
  if (target === undefined) {
    return undefined
  }
  return sortVersions(tags)
    .filter((v) => compareVersions(v, target) < 0)
    .at(-1)
}

/** semver.org §11: a release outranks its prereleases; identifiers compare one by one. */
function comparePrerelease(a: string | undefined, b: string | undefined): number {
  if (a === b) {
    return 0
  }
  if (a === undefined) {
    return 1
  }
  if (b === undefined) {
    return -1
  }
  return compareIdentifierLists(a.split('.'), b.split('.'))
}

/**
 * Natural order for free-form app versions: runs of digits compare as numbers, other runs by code
 * point, a digit run sorts before a text run, and a prefix sorts first (`6.42.0` < `6.42.0-alpine`).
 */
function compareNatural(a: string, b: string): number {
  const runs = /[0-9]+|[^0-9]+/g
  return compareIdentifierLists(a.match(runs) ?? [], b.match(runs) ?? [])
}

/** Pairwise until one differs; when one list is a prefix of the other, the shorter sorts first. */
function compareIdentifierLists(as: readonly string[], bs: readonly string[]): number {
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const order = compareIdentifiers(as[i] ?? '', bs[i] ?? '')
    if (order !== 0) {
      return order
    }
  }
  return as.length - bs.length
}

/** Numbers compare as numbers and before text; text compares by code point. */
function compareIdentifiers(a: string, b: string): number {
  const aNum = /^[0-9]+$/.test(a)
  const bNum = /^[0-9]+$/.test(b)
  if (aNum && bNum) {
    return compareDigits(a, b)
  }
  if (aNum !== bNum) {
    return aNum ? -1 : 1
  }
  return compareText(a, b)
}

/** Compares digit strings of any length as numbers (`007` equals `7`). */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=.)/, '')
  const y = b.replace(/^0+(?=.)/, '')
  return x.length - y.length || compareText(x, y)
}

/** Locale-independent string order (UTF-16 code units). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
