import { describe, expect, test } from 'vitest'
import {
  compareVersions,
  latestVersion,
  parseVersion,
  previousVersion,
  sortVersions,
  splitTags,
} from '../../harness/recipe/versions.ts'
import type { RecipeVersion } from '../../harness/recipe/versions.ts'

const raws = (versions: readonly RecipeVersion[]) => versions.map((v) => v.raw)

function mustParse(tag: string): RecipeVersion {
  const version = parseVersion(tag)
  if (version === undefined) {
    throw new Error(`expected ${tag} to parse`)
  }
  return version
}

// Real tags, oldest first. The git.coopcloud.tech recipe repositories are not in the searchable
// corpus, so these are the complete lists that real, citable sources give.

// bonfire: annotated tags of github.com/bonfire-networks/bonfire-coop-cloud (@48e7e26,
// `git for-each-ref refs/tags`); its release notes
// `release/1.0.0+1.0.5-social-amd64` (@79a43dba) and `release/2.0.0+1.0.5-social-amd64` (@ead44b71)
// are in the same repo. Suffixed app part, and a recipe major bump with the app version unchanged.
const BONFIRE = ['1.0.0+1.0.5-social-amd64', '2.0.0+1.0.5-social-amd64', '2.0.1+1.0.6-social-amd64']

// custom-html: `TYPE=custom-html:1.7.1+1.27.2` in the Co-op Cloud docs on version pinning
// (docs.coopcloud.tech) and `1.11.0+1.29.0`, a later release. A plain string sort gets these two
// backwards.
const CUSTOM_HTML = ['1.7.1+1.27.2', '1.11.0+1.29.0']

// gitea: the maintainers handbook's worked example, "the first release of the Gitea recipe ... has
// the version of 1.0.0+1.14.3 ... we still publish 1.1.0+1.15.3" (git.coopcloud.tech/mayel/
// docs.coopcloud.tech @f26fb3b6, docs/maintainers/handbook.md), next to the pre-semver scheme the
// older packager guide shows for the same recipe, `abra recipe gitea versions` printing
// `1.14.1-rootless`, `1.14.1-rootless_1`, `1.14.2-rootless` (git.coopcloud.tech/ammaratef45/
// docs.coopcloud.tech @edc84dda, docs/packager-guide.md). A repo that kept its legacy tags mixes
// both; the legacy ones are not releases, and would otherwise outrank every real one.
const GITEA_LEGACY = ['1.14.1-rootless', '1.14.1-rootless_1', '1.14.2-rootless']
const GITEA = ['1.0.0+1.14.3', '1.1.0+1.15.3']

// An upgrade cc-ci's predecessor ran: `version=3.0.9+1.10.7→3.0.10+1.10.8` (its docs/testing.md
// @7472561a). Patch 10 must sort above patch 9.
const CCCI_UPGRADE = ['3.0.9+1.10.7', '3.0.10+1.10.8']

// Every one of these must be ignored, never thrown on.
const GARBAGE = [
  'v1.0.0',
  '1.0',
  'latest',
  '',
  '1.0.0+',
  '../x',
  '1.0.0',
  'v1.0.0+1.0.0',
  '1.0.0+1.2 3',
  ' 1.0.0+1.2',
  '1.0.0+1.2\n',
  '1.0.0 +1.2',
  '01.0.0+1.2',
  '1.00.0+1.2',
  '1.0+1.2',
  '1.0.0.0+1.2',
  '1.0.0+../x',
  '1.0.0+a/b',
  '1.0.0+-alpine',
  '1.0.0-+1.2',
  '1.0.0-01+1.2',
  '1.0.0-beta..1+1.2',
  '99999999999999999999.0.0+1.2',
  '09bf4d54',
  'main',
]

const shuffle = (tags: readonly string[]) => [...tags].reverse()

describe('parseVersion', () => {
  test('splits the recipe semver from the app part at the first +', () => {
    expect(parseVersion('1.11.0+1.29.0')).toEqual({
      raw: '1.11.0+1.29.0',
      major: 1,
      minor: 11,
      patch: 0,
      app: '1.29.0',
    })
    expect(parseVersion('2.0.1+1.0.6-social-amd64')).toMatchObject({
      major: 2,
      minor: 0,
      patch: 1,
      app: '1.0.6-social-amd64',
    })
  })

  test('takes the app part as it comes: suffixes, a v prefix, even latest', () => {
    // Shapes named in the brief; not checked against the recipes they come from.
    expect(parseVersion('1.3.0+6.42.0-alpine')?.app).toBe('6.42.0-alpine')
    expect(parseVersion('1.0.0+v1.6.870-0')?.app).toBe('v1.6.870-0')
    expect(parseVersion('0.1.0+latest')?.app).toBe('latest')
    expect(parseVersion('1.0.0+1.14.1-rootless_1')?.app).toBe('1.14.1-rootless_1')
    expect(parseVersion('1.0.0+1.2+3')?.app).toBe('1.2+3')
  })

  test('keeps a semver prerelease on the recipe part, and only there', () => {
    const version = parseVersion('1.0.0-beta.1+1.2.3-rc1')
    expect(version).toMatchObject({ major: 1, prerelease: 'beta.1', app: '1.2.3-rc1' })
    expect(parseVersion('1.0.0+1.2.3-rc1')).not.toHaveProperty('prerelease')
  })

  test.each(GARBAGE)('%j is not a release', (tag) => {
    expect(parseVersion(tag)).toBeUndefined()
  })
})

describe('real tag lists', () => {
  test('bonfire: sorted, newest and previous', () => {
    expect(raws(sortVersions(shuffle(BONFIRE)))).toEqual(BONFIRE)
    expect(latestVersion(BONFIRE)?.raw).toBe('2.0.1+1.0.6-social-amd64')
    expect(previousVersion(BONFIRE, '2.0.1+1.0.6-social-amd64')?.raw).toBe(
      '2.0.0+1.0.5-social-amd64',
    )
    // Same app version, different recipe major: the recipe part decides.
    expect(previousVersion(BONFIRE, '2.0.0+1.0.5-social-amd64')?.raw).toBe(
      '1.0.0+1.0.5-social-amd64',
    )
    expect(previousVersion(BONFIRE, '1.0.0+1.0.5-social-amd64')).toBeUndefined()
  })

  test('custom-html: numeric, not string, order', () => {
    expect([...CUSTOM_HTML].sort()).not.toEqual(CUSTOM_HTML)
    expect(raws(sortVersions(shuffle(CUSTOM_HTML)))).toEqual(CUSTOM_HTML)
    expect(latestVersion(CUSTOM_HTML)?.raw).toBe('1.11.0+1.29.0')
    expect(previousVersion(CUSTOM_HTML, '1.11.0+1.29.0')?.raw).toBe('1.7.1+1.27.2')
  })

  test('gitea: legacy pre-semver tags are ignored, not ranked', () => {
    const tags = [...GITEA_LEGACY, ...GITEA]
    expect(splitTags(tags)).toEqual({
      releases: GITEA.map(mustParse),
      ignored: GITEA_LEGACY,
    })
    expect(latestVersion(tags)?.raw).toBe('1.1.0+1.15.3')
    expect(previousVersion(tags, '1.1.0+1.15.3')?.raw).toBe('1.0.0+1.14.3')
  })

  test('cc-ci upgrade pair: 3.0.10 follows 3.0.9', () => {
    expect(raws(sortVersions(shuffle(CCCI_UPGRADE)))).toEqual(CCCI_UPGRADE)
    expect(previousVersion(CCCI_UPGRADE, '3.0.10+1.10.8')?.raw).toBe('3.0.9+1.10.7')
  })

  test('all lists merged with garbage: garbage ignored in input order, releases sorted', () => {
    const releases = [...BONFIRE, ...CUSTOM_HTML, ...GITEA, ...CCCI_UPGRADE]
    const { releases: sorted, ignored } = splitTags([...GARBAGE, ...shuffle(releases)])
    expect(ignored).toEqual(GARBAGE)
    expect(raws(sorted)).toEqual([
      '1.0.0+1.0.5-social-amd64',
      '1.0.0+1.14.3',
      '1.1.0+1.15.3',
      '1.7.1+1.27.2',
      '1.11.0+1.29.0',
      '2.0.0+1.0.5-social-amd64',
      '2.0.1+1.0.6-social-amd64',
      '3.0.9+1.10.7',
      '3.0.10+1.10.8',
    ])
  })
})

describe('compareVersions', () => {
  test('follows semver precedence for recipe prereleases (semver.org §11 example)', () => {
    const chain = [
      '1.0.0-alpha+x',
      '1.0.0-alpha.1+x',
      '1.0.0-alpha.beta+x',
      '1.0.0-beta+x',
      '1.0.0-beta.2+x',
      '1.0.0-beta.11+x',
      '1.0.0-rc.1+x',
      '1.0.0+x',
      '1.0.1-0+x',
      '1.0.1+x',
    ]
    expect(raws(sortVersions(shuffle(chain)))).toEqual(chain)
  })

  test('breaks recipe-version ties by the app part in natural order', () => {
    const ties = [
      '1.0.0+1.9',
      '1.0.0+1.10',
      '1.0.0+6.42.0',
      '1.0.0+6.42.0-alpine',
      '1.0.0+6.42.0-rc1',
      '1.0.0+v1.6.869-0',
      '1.0.0+v1.6.870-0',
    ]
    expect(raws(sortVersions(shuffle(ties)))).toEqual(ties)
  })

  test('is a total order: zero only for the same tag, antisymmetric, transitive', () => {
    const pool = [
      ...BONFIRE,
      ...CUSTOM_HTML,
      '1.0.0+1.0',
      '1.0.0+1.00',
      '1.0.0+01.0',
      '1.0.0-rc.1+1.0',
      '1.0.0+latest',
      '1.0.0+Latest',
    ].map(mustParse)
    const broken: string[] = []
    for (const a of pool) {
      for (const b of pool) {
        const ab = compareVersions(a, b)
        if ((ab === 0) !== (a.raw === b.raw)) {
          broken.push(`${a.raw} vs ${b.raw}: ${ab}`)
        }
        if (Math.sign(ab) !== -Math.sign(compareVersions(b, a))) {
          broken.push(`${a.raw} vs ${b.raw}: not antisymmetric`)
        }
        for (const c of pool) {
          if (ab < 0 && compareVersions(b, c) < 0 && compareVersions(a, c) >= 0) {
            broken.push(`${a.raw} < ${b.raw} < ${c.raw} but not ${a.raw} < ${c.raw}`)
          }
        }
      }
    }
    expect(broken).toEqual([])
  })

  test('sorting does not depend on input order', () => {
    const tags = [
      ...BONFIRE,
      '1.0.0+1.0',
      '1.0.0+1.00',
      '1.0.0+01.0',
      '1.0.0+Latest',
      '1.0.0+latest',
    ]
    const forward = raws(sortVersions(tags))
    expect(raws(sortVersions(shuffle(tags)))).toEqual(forward)
    expect(raws(sortVersions([...tags.slice(3), ...tags.slice(0, 3)]))).toEqual(forward)
  })
})

describe('list helpers', () => {
  test('sortVersions drops duplicates and non-releases', () => {
    expect(raws(sortVersions(['1.0.0+1', 'latest', '1.0.0+1']))).toEqual(['1.0.0+1'])
  })

  test('latestVersion is undefined without releases', () => {
    expect(latestVersion([])).toBeUndefined()
    expect(latestVersion(GARBAGE)).toBeUndefined()
  })

  test('previousVersion of a version not tagged yet is the newest older release', () => {
    expect(previousVersion(CUSTOM_HTML, '1.12.0+1.29.1')?.raw).toBe('1.11.0+1.29.0')
    expect(previousVersion(CUSTOM_HTML, '1.8.0+1.28.0')?.raw).toBe('1.7.1+1.27.2')
    expect(previousVersion(CUSTOM_HTML, '1.0.0+1.0.0')).toBeUndefined()
    expect(previousVersion([], '1.12.0+1.29.1')).toBeUndefined()
  })

  test('previousVersion takes a parsed version too', () => {
    expect(previousVersion(BONFIRE, mustParse('2.0.1+1.0.6-social-amd64'))?.raw).toBe(
      '2.0.0+1.0.5-social-amd64',
    )
  })

  test('previousVersion of a prerelease is the release before it, not the release it leads to', () => {
    const tags = ['1.0.0+1', '2.0.0-rc.1+2', '2.0.0+2']
    expect(previousVersion(tags, '2.0.0-rc.2+2')?.raw).toBe('2.0.0-rc.1+2')
    expect(previousVersion(tags, '2.0.0+2')?.raw).toBe('2.0.0-rc.1+2')
  })

  test.each(['09bf4d54', 'main', 'latest', '', 'v1.11.0'])(
    'previousVersion of %j, which is not a release, is undefined',
    (version) => {
      expect(previousVersion(CUSTOM_HTML, version)).toBeUndefined()
    },
  )
})
