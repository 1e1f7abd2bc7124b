import { describe, expect, test } from 'vitest'
import { prunePlan, type PruneInput } from '../../harness/janitor/prune-plan.ts'

const NOW = Date.parse('2026-11-30T12:00:00Z')
const DAY = 86_400_000

const input = (overrides: Partial<PruneInput> = {}): PruneInput => ({
  usedPercent: 91,
  thresholdPercent: 85,
  liveRuns: [],
  converging: [],
  dangling: [
    { id: 'sha256:old', createdMs: NOW - 3 * DAY, sizeBytes: 10 },
    { id: 'sha256:young', createdMs: NOW - DAY / 2, sizeBytes: 20 },
    { id: 'sha256:used', createdMs: NOW - 3 * DAY, sizeBytes: 30 },
  ],
  inUse: new Set(['sha256:used']),
  nowMs: NOW,
  ...overrides,
})

describe('the prune policy (prunePlan)', () => {
  test('under pressure: only dangling images no container uses, over a day old, and old build cache', () => {
    expect(prunePlan(input())).toEqual({
      prune: true,
      reason: '91% used, at or over the 85% threshold',
      images: [{ id: 'sha256:old', sizeBytes: 10 }],
      cacheHours: 24,
    })
  })

  test('no pressure: nothing, with the figures', () => {
    expect(prunePlan(input({ usedPercent: 40 }))).toEqual({
      prune: false,
      reason: 'no disk pressure: 40% used, under the 85% threshold',
    })
  })

  test('never while a run is live or a service converges', () => {
    expect(prunePlan(input({ liveRuns: ['notes-1'] }))).toEqual({
      prune: false,
      reason: '91% used, but run(s) notes-1 are live',
    })
    expect(prunePlan(input({ converging: ['warm-notes_app'] }))).toEqual({
      prune: false,
      reason: '91% used, but service(s) warm-notes_app are converging',
    })
  })

  test('exactly at the threshold counts as pressure', () => {
    expect(prunePlan(input({ usedPercent: 85 })).prune).toBe(true)
  })
})
