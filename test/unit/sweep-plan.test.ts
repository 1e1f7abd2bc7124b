import { expect, test } from 'vitest'
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

test('the sweep runs recipes with a newer release, no canonical, or a failed one; nothing else', () => {
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
    { recipe: 'keycloak', newest: '10.1.0+26.1.0', reason: 'newer release than the canonical' },
    { recipe: 'gitea', newest: '2.0.0+1.22.0', reason: 'no canonical yet' },
    { recipe: 'n8n', newest: '1.0.0+1.0.0', reason: 'canonical failed' },
  ])
})
