import { describe, expect, test } from 'vitest'
import { unwindStages } from '../../harness/run/cleanup-journal.ts'
import type { UndoEntry } from '../../harness/run/undo-entry.ts'

const entry = (kind: UndoEntry['kind']): UndoEntry => ({ kind, by: 'install' })
/** What the install tier registers, oldest first (tiers/install.ts). */
const INSTALL = (['env-file', 'proxy-routes', 'secrets', 'volumes', 'stack'] as const).map(entry)
const kinds = (stages: UndoEntry[][]) => stages.map((stage) => stage.map((e) => e.kind))

describe('in which stages the cleanup unwinds (unwindStages)', () => {
  test('the stack first, then volumes, secrets and routes at once, the env file last', () => {
    expect(kinds(unwindStages(INSTALL, true))).toEqual([
      ['stack'],
      ['volumes', 'secrets', 'proxy-routes'],
      ['env-file'],
    ])
  })
  test('the stack goes first even when it was registered before its volumes', () => {
    const early = (['env-file', 'stack', 'volumes'] as const).map(entry)
    expect(kinds(unwindStages(early, true))).toEqual([['stack'], ['volumes'], ['env-file']])
  })
  test('a run that died before its deploy: only what it registered, no empty stage', () => {
    expect(kinds(unwindStages([entry('env-file'), entry('secrets')], true))).toEqual([
      ['secrets'],
      ['env-file'],
    ])
    expect(unwindStages([], true)).toEqual([])
  })
  test('one at a time, newest first, when the driver cannot overlap its steps (abra)', () => {
    expect(kinds(unwindStages(INSTALL, false))).toEqual([
      ['stack'],
      ['volumes'],
      ['secrets'],
      ['proxy-routes'],
      ['env-file'],
    ])
  })
})
