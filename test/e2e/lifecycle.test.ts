import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { commitChange } from '../support/commit-change.ts'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkout, tagLightweight } from '../../harness/git/index.ts'
import type { RunResult } from '../../harness/results/report-files.ts'
import { fixtureRepos } from '../support/fixtures.ts'
import { deleteTag, updateRef } from '../support/git-refs.ts'
import { expectNothingLeft, runRecipe } from '../support/run-recipe.ts'

const repos = fixtureRepos()
afterAll(repos.cleanup)
const tinyHtml = (change?: Parameters<typeof commitChange>[1]) => repos.make('tiny-html', change)

function statuses(result: RunResult | undefined): Record<string, string> {
  return Object.fromEntries((result?.tiers ?? []).map((t) => [t.tier, t.status]))
}

function reason(result: RunResult | undefined, tier: string): string {
  return result?.tiers.find((t) => t.tier === tier)?.reason ?? ''
}

describe('the full lifecycle against one deployment', () => {
  let green: Awaited<ReturnType<typeof runRecipe>>

  beforeAll(async () => {
    green = await runRecipe({ projects: ['tiny-html'], src: (await tinyHtml()).path })
  })

  test('every tier is green, with one deploy', async () => {
    expect(statuses(green.result), green.output).toEqual({
      install: 'pass',
      upgrade: 'pass',
      backup: 'pass',
      restore: 'pass',
      custom: 'pass',
    })
    expect(green.output).toContain(
      'LIFECYCLE install: pass | upgrade: pass | backup: pass | restore: pass | custom: pass',
    )
    expect(green.result?.deployCount).toBe(1)
    expect(green.result?.lint?.ok).toBe(true)
    expect(green.result?.level, 'install, upgrade, backup+restore, custom and lint').toBe(5)
    expect(green.code).toBe(0)
    await expectNothingLeft(green.result!)
  })

  test('the upgrade went from the previous release to the code under test', () => {
    expect(green.result?.baseVersion).toBe('1.0.0+1.35.0')
    expect(green.result?.headVersion).toBe('1.1.0+1.35.0')
  })

  test('the marker proof is in the test names and results', () => {
    const restore = green.result?.tiers.find((t) => t.tier === 'restore')
    const names = restore?.tests.map((t) => `${t.state} ${t.name}`) ?? []
    expect(names).toContainEqual(
      expect.stringMatching(
        /^passed the marker written before the backup \(ccci-[0-9a-f]{12}\) is back after the restore$/,
      ),
    )
    expect(names).toContainEqual(
      expect.stringMatching(
        /^passed the change made after the backup \(content\/\.ccci-mutation\) is gone after the restore$/,
      ),
    )
  })
})

/** A tiny-html whose head adds one more deploy label to the app service. */
const withLabel = (message: string, label: string): Parameters<typeof commitChange>[1] => ({
  message,
  replace: {
    'compose.yml': [
      ['- "backupbot.backup=true"', `- "backupbot.backup=true"\n        - "${label}"`],
    ],
  },
})

const pass = { install: 'pass', upgrade: 'pass', backup: 'pass', restore: 'pass', custom: 'pass' }

interface BreakingCase {
  what: string
  change: Parameters<typeof commitChange>[1]
  statuses: Record<string, string>
  reasons: Record<string, RegExp>
}

describe('fixtures that break one tier fail exactly that tier', () => {
  test.each<BreakingCase>([
    {
      what: 'an upgrade whose new version cannot start fails upgrade; backup and restore still run',
      change: {
        message: 'a release that cannot start',
        replace: {
          'compose.yml': [
            [
              'command: ["/bin/sh", "/entrypoint.sh"]',
              'command: ["/bin/sh", "-c", "echo this release cannot start >&2; exit 3"]',
            ],
            [
              '    deploy:\n',
              '    deploy:\n      update_config:\n        failure_action: rollback\n        order: start-first\n        monitor: 5s\n',
            ],
          ],
        },
      },
      statuses: { ...pass, upgrade: 'fail' },
      reasons: {
        upgrade: /deploy of \S+ failed.*app: update rollback_completed.*the new task failed/,
      },
    },
    {
      what: 'a restore that loses the marker fails restore',
      change: withLabel(
        'a restore hook that loses data',
        'backupbot.restore.post-hook=rm -f /var/www/.ccci-marker',
      ),
      statuses: { ...pass, restore: 'fail' },
      reasons: { restore: /\.ccci-marker/ },
    },
  ])('$what', async ({ change, statuses: expected, reasons }) => {
    const repo = await tinyHtml(change)
    const run = await runRecipe({ projects: ['tiny-html'], src: repo.path })
    expect(statuses(run.result), run.output).toEqual(expected)
    for (const [tier, pattern] of Object.entries(reasons)) {
      expect(reason(run.result, tier)).toMatch(pattern)
    }
    expect(run.code).not.toBe(0)
    await expectNothingLeft(run.result!)
  })

  test('a recipe with a single release skips upgrade with the reason', async () => {
    const repo = await tinyHtml()
    await deleteTag(repo.path, '1.0.0+1.35.0')
    const run = await runRecipe({ projects: ['tiny-html'], src: repo.path })
    expect(run.output).toContain('upgrade: skip (no previous published version)')
    expect(statuses(run.result)).toMatchObject({
      install: 'pass',
      upgrade: 'skip',
      backup: 'pass',
      restore: 'pass',
    })
    expect(run.code).toBe(0)
    await expectNothingLeft(run.result!)
  })
})

describe('lint', () => {
  test('an error-level lint failure (R014, a lightweight release tag) fails install before deploying, naming the rule', async () => {
    const repo = await tinyHtml()
    await commitChange(repo.path, { message: 'an unreleased change' })
    await tagLightweight(repo.path, '1.2.0+1.35.0')
    const run = await runRecipe({ projects: ['tiny-html (install)'], src: repo.path })
    expect(run.result?.lint?.ok).toBe(false)
    expect(run.result?.lint?.rules.find((r) => r.ref === 'R014')).toMatchObject({
      satisfied: false,
      level: 'error',
    })
    // abra refuses to deploy such a recipe; so does cc-ci, and says which rule and how to fix it.
    expect(run.output).toMatch(/LIFECYCLE install: fail/)
    expect(run.result?.deployCount, 'nothing was deployed').toBe(0)
    expect(run.result?.level).toBe(0)
    const summary = readFileSync(join(run.resultsDir ?? '', 'summary.md'), 'utf8')
    expect(summary).toMatch(/^lint: ❌ fail \(R014 /m)
    expect(summary).toContain(
      'R014 only annotated tags used for recipe version (to resolve: replace lightweight tag with annotated tag)',
    )
    expect(run.code).not.toBe(0)
    await expectNothingLeft(run.result!)
  })
})

describe('the code under test is exactly SRC at REF', () => {
  test('a release tag as REF deploys that release', async () => {
    const repo = await tinyHtml()
    const run = await runRecipe({
      projects: ['tiny-html (install)'],
      src: repo.path,
      ref: '1.0.0+1.35.0',
    })
    expect(run.code, run.output).toBe(0)
    expect(run.result?.headVersion).toBe('1.0.0+1.35.0')
    expect(run.result?.tiers.find((t) => t.tier === 'install')?.status).toBe('pass')
    await expectNothingLeft(run.result!)
  })

  test('a pull request ref is fetched and its commit tested, over the last release', async () => {
    const repo = await tinyHtml()
    const prHead = await commitChange(repo.path, {
      message: 'a PR: a new title',
      replace: { '.env.sample': [['Hello from tiny-html', 'Hello from a pull request']] },
    })
    await checkout(repo.path, '1.1.0+1.35.0')
    await updateRef(repo.path, 'refs/pull/7/head', prHead)
    const run = await runRecipe({
      projects: ['tiny-html (install)', 'tiny-html (upgrade)'],
      src: repo.path,
      ref: 'refs/pull/7/head',
    })
    expect(run.code, run.output).toBe(0)
    expect(run.result?.source.commit).toBe(prHead)
    expect(run.result?.baseVersion).toBe('1.1.0+1.35.0')
    expect(run.result?.tiers.find((t) => t.tier === 'upgrade')?.status).toBe('pass')
    await expectNothingLeft(run.result!)
  })
})
