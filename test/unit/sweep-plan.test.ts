import { describe, expect, test } from 'vitest'
import { sweepPlan, type CanonicalRecord } from '../../harness/warm/sweep-plan.ts'

const canonical = (
  recipe: string,
  version: string,
  status: CanonicalRecord['status'] = 'ok',
): CanonicalRecord => ({
  recipe,
  domain: `warm-${recipe}.ci.example`,
  version,
  commit: 'abc12345',
  status,
  ts: '2026-11-22T03:00:00Z',
})

describe('the nightly sweep plan (sweepPlan)', () => {
  test('runs recipes with a newer release, no canonical, or a failed one; says why it skips the rest', () => {
    const plan = sweepPlan(
      [
        { recipe: 'keycloak', tags: ['10.0.0+26.0.0', '10.1.0+26.1.0'] },
        { recipe: 'custom-html', tags: ['1.9.0+1.27.2', '1.11.0+1.29.0'] },
        { recipe: 'gitea', tags: ['2.0.0+1.22.0'] },
        { recipe: 'n8n', tags: ['1.0.0+1.0.0'] },
        { recipe: 'draft', tags: ['not-a-release'] },
      ],
      [
        canonical('keycloak', '10.0.0+26.0.0'),
        canonical('custom-html', '1.11.0+1.29.0'),
        canonical('n8n', '1.0.0+1.0.0', 'failed'),
      ],
    )
    expect(plan).toEqual([
      {
        recipe: 'custom-html',
        action: 'skip',
        reason: 'the canonical is at the newest release 1.11.0+1.29.0',
      },
      { recipe: 'draft', action: 'skip', reason: 'no published release' },
      { recipe: 'gitea', action: 'run', tag: '2.0.0+1.22.0', reason: 'no canonical yet' },
      {
        recipe: 'keycloak',
        action: 'run',
        tag: '10.1.0+26.1.0',
        reason: 'newer release than the canonical (10.0.0+26.0.0)',
      },
      {
        recipe: 'n8n',
        action: 'run',
        tag: '1.0.0+1.0.0',
        reason: 'the canonical failed at 1.0.0+1.0.0',
      },
    ])
  })

  test('a canonical newer than every tag (a tag deleted upstream) is kept, not downgraded', () => {
    expect(sweepPlan([{ recipe: 'a', tags: ['1.0.0+1'] }], [canonical('a', '2.0.0+1')])).toEqual([
      {
        recipe: 'a',
        action: 'skip',
        reason: 'the canonical (2.0.0+1) is newer than the newest release 1.0.0+1',
      },
    ])
  })

  test('an active run of the recipe defers its sweep run', () => {
    expect(sweepPlan([{ recipe: 'a', tags: ['1.0.0+1'], activeRun: 'a-run-1' }], [])).toEqual([
      { recipe: 'a', action: 'skip', reason: 'no canonical yet, but run a-run-1 is active' },
    ])
  })

  test('canonicals of recipes no longer enrolled are removed, a failed one too', () => {
    expect(
      sweepPlan(
        [{ recipe: 'kept', tags: ['1.0.0+1'] }],
        [canonical('kept', '1.0.0+1'), canonical('gone', '1.0.0+1', 'failed')],
        ['kept', 'gone', 'leftover'],
      ),
    ).toEqual([
      { recipe: 'gone', action: 'remove', reason: 'no longer enrolled' },
      { recipe: 'kept', action: 'skip', reason: 'the canonical is at the newest release 1.0.0+1' },
      { recipe: 'leftover', action: 'remove', reason: 'no longer enrolled' },
    ])
  })
})
