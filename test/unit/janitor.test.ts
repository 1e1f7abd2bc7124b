import { describe, expect, test } from 'vitest'
import type { DockerObject } from '../../harness/docker/index.ts'
import { decideOrphans } from '../../harness/run/janitor.ts'
import type { Lease } from '../../harness/run/lease.ts'

const object = (
  kind: DockerObject['kind'],
  name: string,
  runId: string,
  extra: Record<string, string> = {},
): DockerObject => ({
  kind,
  id: name,
  name,
  labels: { 'cc-ci.run': runId, 'cc-ci.recipe': 'tiny-html', ...extra },
})

const lease = (runId: string): Lease => ({
  runId,
  pid: 1,
  recipe: 'tiny-html',
  domain: `${runId}.ccci.localhost`,
  stack: `${runId}_ccci_localhost`,
  runDir: `/runs/${runId}`,
  envFile: `/servers/default/${runId}.env`,
  createdAt: '2026-11-23T00:00:00Z',
})

describe('the janitor reaps only what dead runs own', () => {
  const objects = [
    object('volume', 'dead_content', 'dead'),
    object('service', 'dead_app', 'dead'),
    object('secret', 'dead_token_v1', 'dead'),
    object('service', 'live_app', 'live'),
    object('volume', 'warm_content', 'warm', { 'cc-ci.warm': 'true' }),
  ]

  test('objects of a dead run, services first; live runs and warm canonicals untouched', () => {
    const orphans = decideOrphans(
      objects,
      [lease('dead'), lease('live')],
      new Set(['live']),
      () => true,
    )
    expect(orphans.map((o) => o.runId)).toEqual(['dead'])
    expect(orphans[0]?.objects.map((o) => `${o.kind} ${o.name}`)).toEqual([
      'service dead_app',
      'secret dead_token_v1',
      'volume dead_content',
    ])
    expect(orphans[0]?.files).toEqual(['/servers/default/dead.env', '/runs/dead'])
  })

  test('a dead lease with nothing in Docker still has its files reaped; missing files are skipped', () => {
    const orphans = decideOrphans([], [lease('gone')], new Set(), (path) => path.endsWith('.env'))
    expect(orphans).toEqual([
      expect.objectContaining({ runId: 'gone', objects: [], files: ['/servers/default/gone.env'] }),
    ])
  })

  test('objects of a run without any lease are orphans too (killed before it could write one)', () => {
    expect(
      decideOrphans([object('network', 'x_default', 'nolease')], [], new Set(), () => true).map(
        (o) => o.runId,
      ),
    ).toEqual(['nolease'])
  })
})
