import { describe, expect, test } from 'vitest'
import { unwindOrder } from '../../harness/run/cleanup-journal.ts'
import { decideVersions } from '../../harness/run/choose-versions.ts'
import type { OpOutcome } from '../../harness/run/state.ts'
import {
  checkTierDefinitions,
  defineTier,
  type TierDefinition,
} from '../../harness/run/tier-definition.ts'
import { blockedBy } from '../../harness/run/tier-gate.ts'
import { TIERS as TIER_NAMES } from '../../harness/run/tier-names.ts'
import { gateOf, outcomeOf, withinTierDeadline } from '../../harness/run/tier-runner.ts'
import { TierSkip } from '../../harness/run/tier-definition.ts'
import { registerSecret } from '../../harness/redaction/redact.ts'
import { TIERS } from '../../tiers/index.ts'

const op = (status: OpOutcome['status'], reason?: string): OpOutcome => ({
  status,
  reason,
  startedAt: '',
  durationMs: 0,
  details: {},
})

describe('tier gating (blockedBy)', () => {
  test('a tier runs when every prerequisite passed', () => {
    expect(
      blockedBy({ requires: ['install'] }, { failedTiers: [], ops: { install: op('pass') } }),
    ).toBeUndefined()
  })
  test('a failed prerequisite blocks, even when its operation passed (a test of it failed)', () => {
    expect(
      blockedBy(
        { requires: ['install'] },
        { failedTiers: ['install'], ops: { install: op('pass') } },
      ),
    ).toBe('prerequisite tier install failed')
  })
  test('a skipped prerequisite blocks with its reason; one that did not run blocks too', () => {
    const state = { failedTiers: [], ops: { install: op('pass'), backup: op('skip', 'N/A') } }
    expect(blockedBy({ requires: ['install', 'backup'] }, state)).toBe(
      'prerequisite tier backup was skipped (N/A)',
    )
    expect(blockedBy({ requires: ['upgrade'] }, state)).toBe(
      'prerequisite tier upgrade did not run',
    )
  })
  test('each lifecycle tier requires exactly what its definition says', () => {
    expect(Object.fromEntries(TIERS.map((t) => [t.name, t.requires]))).toEqual({
      install: [],
      upgrade: ['install'],
      backup: ['install'],
      restore: ['install', 'backup'],
      custom: ['install'],
    })
  })
})

describe('tier definitions', () => {
  test('tiers/ defines every tier once, in lifecycle order, install performed by the setup', () => {
    expect(checkTierDefinitions(TIERS).map((t) => t.name)).toEqual([...TIER_NAMES])
    expect(TIERS.filter((t) => t.when === 'setup').map((t) => t.name)).toEqual(['install'])
  })
  const base = (name: TierDefinition['name'], extra: Partial<TierDefinition> = {}) =>
    defineTier({
      name,
      summary: '',
      requires: [],
      timeoutSeconds: 1,
      hook: undefined,
      when: name === 'install' ? 'setup' : 'tier',
      operation: () => Promise.resolve({}),
      records: {},
      ...extra,
    })
  const valid = () => TIER_NAMES.map((name) => base(name))
  test('a missing or misordered tier is refused', () => {
    expect(() => checkTierDefinitions(valid().slice(1))).toThrow(/in that order/)
    expect(() => checkTierDefinitions([...valid()].reverse())).toThrow(/in that order/)
  })
  test('a tier that requires a later tier is refused', () => {
    const defs = valid()
    defs[1] = base('upgrade', { requires: ['restore'] })
    expect(() => checkTierDefinitions(defs)).toThrow('tier upgrade requires restore')
  })
  test('only the first tier may be performed by the setup', () => {
    const defs = valid()
    defs[2] = base('backup', { when: 'setup' })
    expect(() => checkTierDefinitions(defs)).toThrow(/exactly the first tier/)
  })
})

describe('operation outcomes', () => {
  test('a TierSkip skips with its reason; an error fails, redacted; a result passes with its details', async () => {
    expect(await outcomeOf(() => Promise.reject(new TierSkip('N/A: stateless')))).toMatchObject({
      status: 'skip',
      reason: 'N/A: stateless',
    })
    registerSecret('canary-tier-runner-1234')
    const failed = await outcomeOf(() => Promise.reject(new Error('boom canary-tier-runner-1234')))
    expect(failed.status).toBe('fail')
    expect(failed.error).toContain('boom')
    expect(failed.error).not.toContain('canary-tier-runner-1234')
    expect(await outcomeOf(() => Promise.resolve({ id: 'x' }))).toMatchObject({
      status: 'pass',
      details: { id: 'x' },
    })
  })
  test('the gate: skip with the reason, fail with the error, nothing recorded fails', () => {
    expect(gateOf(op('skip', 'why'))).toEqual({ skip: 'why', fail: undefined })
    expect(gateOf({ ...op('fail'), error: 'bad' })).toEqual({ skip: undefined, fail: 'bad' })
    expect(gateOf(op('pass'))).toEqual({ skip: undefined, fail: undefined })
    expect(gateOf(undefined).fail).toMatch(/did not run/)
  })
})

describe('the cleanup stack', () => {
  test('unwinds newest first, each kind once', () => {
    const order = unwindOrder([
      { kind: 'env-file', by: 'install' },
      { kind: 'proxy-routes', by: 'install' },
      { kind: 'secrets', by: 'install' },
      { kind: 'volumes', by: 'install' },
      { kind: 'stack', by: 'install' },
      { kind: 'secrets', by: 'upgrade' },
    ])
    expect(order.map((e) => e.kind)).toEqual([
      'secrets',
      'stack',
      'volumes',
      'proxy-routes',
      'env-file',
    ])
  })
})

describe('choosing the versions (decideVersions)', () => {
  const tags = ['1.0.0+1.0', '1.1.0+1.0', '2.0.0+2.0']
  test('an untagged head upgrades from the newest release in its history', () => {
    expect(decideVersions(tags, [], true)).toEqual({
      headVersion: undefined,
      baseVersion: '2.0.0+2.0',
      upgradeSkip: undefined,
      notVersions: [],
    })
  })
  test('a tagged head upgrades from the release before its own', () => {
    expect(decideVersions(tags, ['1.1.0+1.0'], true).baseVersion).toBe('1.0.0+1.0')
  })
  test('the first release, or a recipe without releases, cannot be upgraded to', () => {
    expect(decideVersions(tags, ['1.0.0+1.0'], true).upgradeSkip).toBe(
      'no previous published version',
    )
    expect(decideVersions([], [], true)).toEqual({
      headVersion: undefined,
      baseVersion: undefined,
      upgradeSkip: 'no previous published version',
      notVersions: [],
    })
  })
  test('without the upgrade tier the head is deployed', () => {
    expect(decideVersions(tags, ['2.0.0+2.0'], false)).toEqual({
      headVersion: '2.0.0+2.0',
      baseVersion: undefined,
      upgradeSkip: 'upgrade tier not selected',
      notVersions: [],
    })
  })
  test('tags that start like a version but are not one are no releases, and are named', () => {
    const odd = ['1.2.0+', 'v1.0', '1.3.0', 'latest', '0.9.0+1.0']
    expect(decideVersions([...tags, ...odd], ['1.2.0+'], true)).toEqual({
      headVersion: undefined,
      baseVersion: '2.0.0+2.0',
      upgradeSkip: undefined,
      notVersions: ['1.2.0+', 'v1.0', '1.3.0'],
    })
  })
})

describe('a tier operation past its deadline (withinTierDeadline)', () => {
  test('fails its tier with CCCI_TIER_TIMEOUT and what to do; one that finishes in time passes', async () => {
    const never = new Promise<Record<string, unknown>>(() => undefined)
    const late = await outcomeOf(() => withinTierDeadline(never, 'upgrade', 20))
    expect(late.status).toBe('fail')
    expect(late.error).toContain(
      'the upgrade operation did not finish within 0 s; it was abandoned',
    )
    expect(late.error).toContain('[CCCI_TIER_TIMEOUT]')
    expect(late.error).toContain('raise timeouts.upgrade in recipe.ts')
    const done = await outcomeOf(() =>
      withinTierDeadline(Promise.resolve({ a: 1 }), 'backup', 1000),
    )
    expect(done).toMatchObject({ status: 'pass', details: { a: 1 } })
  })
})
