import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { planTier, type TierPlanInput } from '../../harness/overlays/tier-plan.ts'

function tree(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'ccci-plan-'))
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true })
    writeFileSync(join(root, file), '')
  }
  return root
}

function plan(overrides: Partial<TierPlanInput> = {}) {
  const generic = tree(['https.test.ts', 'version.test.ts', 'converged.test.ts', 'helpers.ts'])
  const recipe = tree(['https.test.ts', 'login.test.ts'])
  const repoLocal = tree(['version.test.ts', 'deep/flow.test.ts', 'notes.md'])
  const result = planTier({
    tier: 'install',
    genericDir: generic,
    recipeDir: recipe,
    repoLocalDir: repoLocal,
    repoLocalApproved: true,
    skipGenericReason: undefined,
    ...overrides,
  })
  return {
    files: result.files.map((f) => `${f.layer}:${f.relative}`),
    replaced: result.replaced.map((f) => `${f.layer}:${f.relative}<${f.by}`),
    skipped: result.skippedGeneric.map((f) => `${f.relative}:${f.reason}`),
    notRun: result.notRun.map((f) => `${f.relative}:${f.reason}`),
  }
}

describe('planTier: precedence by relative path', () => {
  test('repo-local > recipe > generic; other generic files keep running; only *.test.* files count', () => {
    expect(plan()).toEqual({
      files: [
        'generic:converged.test.ts',
        'repo-local:deep/flow.test.ts',
        'recipe:https.test.ts',
        'recipe:login.test.ts',
        'repo-local:version.test.ts',
      ],
      replaced: ['generic:https.test.ts<recipe', 'generic:version.test.ts<repo-local'],
      skipped: [],
      notRun: [],
    })
  })

  test('unapproved repo-local files are listed as not run and replace nothing', () => {
    const result = plan({ repoLocalApproved: false })
    expect(result.files).toEqual([
      'generic:converged.test.ts',
      'recipe:https.test.ts',
      'recipe:login.test.ts',
      'generic:version.test.ts',
    ])
    expect(result.notRun).toEqual([
      'deep/flow.test.ts:not approved in repo-local-approved.txt',
      'version.test.ts:not approved in repo-local-approved.txt',
    ])
  })

  test('skipping generic suites keeps the recipe and repo-local files', () => {
    const result = plan({ skipGenericReason: 'skipGeneric in recipe.ts' })
    expect(result.files).toEqual([
      'repo-local:deep/flow.test.ts',
      'recipe:https.test.ts',
      'recipe:login.test.ts',
      'repo-local:version.test.ts',
    ])
    expect(result.skipped).toEqual([
      'converged.test.ts:skipGeneric in recipe.ts',
      'https.test.ts:skipGeneric in recipe.ts',
      'version.test.ts:skipGeneric in recipe.ts',
    ])
  })

  test('missing layers are empty, not errors', () => {
    expect(
      plan({ recipeDir: undefined, repoLocalDir: join(tmpdir(), 'does-not-exist') }).files,
    ).toEqual(['generic:converged.test.ts', 'generic:https.test.ts', 'generic:version.test.ts'])
  })
})
