import { afterAll, beforeAll, expect, test } from 'vitest'
import { BridgeService } from '../../harness/bridge/bridge-service.ts'
import { BridgeStore } from '../../harness/bridge/bridge-store.ts'
import type { JsonLog } from '../../harness/bridge/json-log.ts'
import { DroneClient } from '../../harness/drone/drone-client.ts'
import { GiteaClient } from '../../harness/forge/gitea-client.ts'
import { startFake } from '../fakes/http-fake.ts'
import { DroneServer } from '../fakes/drone/drone-server.ts'
import { GiteaServer } from '../fakes/gitea/gitea-server.ts'

const SHA = 'c'.repeat(40)
const repo = { owner: 'coop-cloud', name: 'hello' }
let gitea: GiteaServer
let drone: DroneServer
const events: string[] = []
const log: JsonLog = (_level, event) => events.push(event)

beforeAll(async () => {
  gitea = await new GiteaServer('gt').start()
  gitea.addRepo('coop-cloud', 'hello', '/srv/git/hello.git')
  gitea.addMember('coop-cloud', 'alice')
  gitea.addPull({
    repo: 'coop-cloud/hello',
    number: 4,
    state: 'open',
    headRef: 'x',
    headSha: SHA,
    author: 'bob',
  })
  drone = await new DroneServer('dt', ['coop-cloud/cc-ci']).start()
})

afterAll(async () => {
  await gitea.close()
  await drone.close()
})

function service(options: { giteaUrl?: string; droneRepo?: string; allow?: string[] } = {}) {
  return new BridgeService({
    gitea: new GiteaClient({
      url: options.giteaUrl ?? gitea.url,
      token: 'gt',
      sleep: () => Promise.resolve(),
    }),
    drone: new DroneClient({ url: drone.url, token: 'dt' }),
    store: new BridgeStore(':memory:'),
    log,
    enrolled: [{ recipe: 'hello', repo }],
    org: 'coop-cloud',
    allowlist: new Set(options.allow ?? []),
    droneRepo: options.droneRepo ?? 'coop-cloud/cc-ci',
    droneBranch: 'main',
    statusContext: 'cc-ci',
  })
}

test('members and the allowlist may trigger; anyone else may not', async () => {
  expect(await service().mayTrigger('alice')).toBe(true)
  expect(await service().mayTrigger('mallory')).toBe(false)
  expect(await service().mayTrigger('')).toBe(false)
  expect(await service({ allow: ['Mallory'] }).mayTrigger('mallory')).toBe(true)
})

test.each([
  ['a server error', 500],
  ['a redirect (the token cannot see private memberships)', 303],
  ['a rate limit that does not end', 429],
])('any error while checking membership is a no: %s', async (_what, status) => {
  const broken = await startFake(() => ({
    status,
    headers: { location: '/elsewhere', 'retry-after': '0' },
  }))
  try {
    expect(await service({ giteaUrl: broken.url }).mayTrigger('alice')).toBe(false)
    // The allowlist needs no call to the forge.
    expect(await service({ giteaUrl: broken.url, allow: ['alice'] }).mayTrigger('alice')).toBe(true)
  } finally {
    await broken.close()
  }
})

test('an unreachable forge is a no', async () => {
  const gone = await startFake(() => ({ status: 204 }))
  await gone.close()
  expect(await service({ giteaUrl: gone.url }).mayTrigger('alice')).toBe(false)
})

test('a comment is handled once; other repos and other comments are not triggers', async () => {
  const bridge = service()
  const comment = { repo, pr: 4, commentId: 1, body: '!testme', author: 'alice' }
  expect(await bridge.handleComment(comment, 'webhook')).toBe('triggered')
  expect(await bridge.handleComment(comment, 'poll')).toBe('duplicate')
  expect(await bridge.handleComment({ ...comment, commentId: 2, body: 'nice' }, 'poll')).toBe(
    'not-a-trigger',
  )
  // Edited into a trigger later: it was seen already.
  expect(await bridge.handleComment({ ...comment, commentId: 2 }, 'poll')).toBe('duplicate')
  expect(await bridge.handleComment({ ...comment, commentId: 3, author: 'mallory' }, 'poll')).toBe(
    'refused',
  )
  expect(
    await bridge.handleComment(
      { ...comment, commentId: 4, repo: { owner: 'x', name: 'y' } },
      'poll',
    ),
  ).toBe('not-enrolled')
  expect(drone.allBuilds()).toHaveLength(1)
})

test('a build Drone refuses is reported on the PR: a comment and an error status', async () => {
  const before = gitea.comments.length
  const outcome = await service({ droneRepo: 'coop-cloud/unknown' }).handleComment(
    { repo, pr: 4, commentId: 9, body: '!testme', author: 'alice' },
    'poll',
  )
  expect(outcome).toBe('failed')
  expect(gitea.comments.slice(before).map((c) => c.body)).toEqual([
    expect.stringMatching(
      /^cc-ci: could not start a run of \*\*hello\*\*: Drone POST .* answered 404/,
    ),
  ])
  expect(gitea.statuses.at(-1)).toMatchObject({ sha: SHA, state: 'error', context: 'cc-ci' })
  expect(events).toContain('trigger.failed')
})
