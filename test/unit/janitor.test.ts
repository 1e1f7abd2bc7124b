import { describe, expect, test } from 'vitest'
import type { DockerObject } from '../../harness/docker/index.ts'
import { decideOrphans, type JanitorInput } from '../../harness/janitor/janitor.ts'
import type { Lease } from '../../harness/janitor/lease.ts'

const object = (
  kind: DockerObject['kind'],
  name: string,
  runId: string | undefined,
  extra: Record<string, string> = {},
): DockerObject => ({
  kind,
  id: name,
  name,
  labels:
    runId === undefined
      ? extra
      : { 'cc-ci.run': runId, 'cc-ci.recipe': 'tiny-html', 'cc-ci.home': 'here', ...extra },
})

const lease = (runId: string, domain = runId): Lease => ({
  runId,
  pid: 1,
  recipe: 'tiny-html',
  domain: `${domain}.ccci.localhost`,
  stack: `${domain}_ccci_localhost`,
  runDir: `/runs/${runId}`,
  envFile: `/servers/default/${domain}.env`,
  createdAt: '2026-11-23T00:00:00Z',
})

function decide(input: Partial<JanitorInput>) {
  return decideOrphans({
    owned: [],
    stackObjects: [],
    leases: [],
    alive: new Set(),
    home: 'here',
    fileExists: () => true,
    ...input,
  })
}

describe('the janitor reaps only what dead runs of its own state folder own', () => {
  const owned = [
    object('volume', 'dead_content', 'dead'),
    object('service', 'dead_app', 'dead'),
    object('secret', 'dead_token_v1', 'dead'),
    object('service', 'live_app', 'live'),
    object('volume', 'warm_content', 'warm', { 'cc-ci.warm': 'true' }),
    object('service', 'other_app', 'other', { 'cc-ci.home': 'elsewhere' }),
  ]

  test('objects of a dead run, services first; live runs, warm canonicals and other homes untouched', () => {
    const orphans = decide({
      owned,
      leases: [lease('dead'), lease('live')],
      alive: new Set(['live']),
    })
    expect(orphans.map((o) => o.runId)).toEqual(['dead'])
    expect(orphans[0]?.objects.map((o) => `${o.kind} ${o.name}`)).toEqual([
      'service dead_app',
      'secret dead_token_v1',
      'volume dead_content',
    ])
    expect(orphans[0]?.files).toEqual(['/servers/default/dead.env', '/runs/dead'])
  })

  test('a dead lease with nothing in Docker still has its files reaped; missing files are skipped', () => {
    const orphans = decide({ leases: [lease('gone')], fileExists: (path) => path.endsWith('.env') })
    expect(orphans).toEqual([
      expect.objectContaining({ runId: 'gone', objects: [], files: ['/servers/default/gone.env'] }),
    ])
  })

  test('a file a live lease also names (the same domain, run again) is not reaped', () => {
    const orphans = decide({
      leases: [lease('old', 'app'), lease('new', 'app')],
      alive: new Set(['new']),
    })
    expect(orphans[0]?.files).toEqual(['/runs/old'])
  })

  test("unlabelled objects of a dead lease's stack are reaped with it; labelled ones of other runs are not", () => {
    const stackObjects = [
      object('network', 'dead_ccci_localhost_default', undefined, {
        'com.docker.stack.namespace': 'dead_ccci_localhost',
      }),
      object('network', 'dead_ccci_localhost_internal', 'someone', {
        'com.docker.stack.namespace': 'dead_ccci_localhost',
      }),
    ]
    const orphans = decide({ stackObjects, leases: [lease('dead')] })
    expect(orphans[0]?.objects.map((o) => o.name)).toEqual(['dead_ccci_localhost_default'])
  })

  test('objects of a run without any lease are orphans too (killed before it could write one)', () => {
    expect(
      decide({ owned: [object('network', 'x_default', 'nolease')] }).map((o) => o.runId),
    ).toEqual(['nolease'])
  })
})
