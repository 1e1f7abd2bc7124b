import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DroneClient } from '../../harness/drone/drone-client.ts'
import { isCcciError } from '../../harness/errors.ts'
import { GiteaClient } from '../../harness/forge/gitea-client.ts'
import { startFake } from '../fakes/http-fake.ts'
import { DroneServer } from '../fakes/drone/drone-server.ts'
import { GiteaServer } from '../fakes/gitea/gitea-server.ts'

/**
 * The Gitea and Drone clients against their test servers over real HTTP: this is also the test
 * servers' conformance test (paths, statuses and shapes as Gitea's swagger and Drone's API
 * documentation give them: 201 for a new comment or status, 204/404 for membership, a 200 build
 * with event custom and the query parameters as params, 401 without the token).
 */
const GITEA_TOKEN = 'canary-gitea-token-5f1c2e'
const DRONE_TOKEN = 'canary-drone-token-a93b7d'
const SHA = 'a'.repeat(40)
let gitea: GiteaServer
let drone: DroneServer
const noWait = () => Promise.resolve()

beforeAll(async () => {
  gitea = await new GiteaServer(GITEA_TOKEN).start()
  gitea.addRepo('coop-cloud', 'hello', '/srv/git/hello.git')
  gitea.addRepo('someone', 'hello', '/srv/git/fork.git')
  gitea.addMember('coop-cloud', 'alice')
  gitea.addPull({
    repo: 'coop-cloud/hello',
    number: 1,
    state: 'open',
    headRef: 'feat',
    headSha: SHA,
    author: 'bob',
  })
  gitea.addPull({
    repo: 'coop-cloud/hello',
    number: 2,
    state: 'closed',
    headRef: 'old',
    headSha: SHA,
    author: 'bob',
  })
  gitea.addPull({
    repo: 'coop-cloud/hello',
    number: 3,
    state: 'open',
    headRef: 'fix',
    headSha: 'b'.repeat(40),
    headRepo: 'someone/hello',
    author: 'carol',
  })
  drone = await new DroneServer(DRONE_TOKEN, ['coop-cloud/cc-ci']).start()
})

afterAll(async () => {
  await gitea.close()
  await drone.close()
})

describe('Gitea', () => {
  const repo = { owner: 'coop-cloud', name: 'hello' }
  const client = () => new GiteaClient({ url: gitea.url, token: GITEA_TOKEN, sleep: noWait })

  test('open PRs, one PR with its head repo, ref and SHA', async () => {
    const pulls = await client().listOpenPulls(repo)
    expect(pulls.map((p) => p.number)).toEqual([1, 3])
    const fork = await client().getPull(repo, 3)
    expect(fork.head).toMatchObject({
      ref: 'fix',
      sha: 'b'.repeat(40),
      repo: { clone_url: '/srv/git/fork.git' },
    })
    expect(fork.base.repo?.clone_url).toBe('/srv/git/hello.git')
  })

  test('comments: listed, since a time, posted (201) and edited', async () => {
    const first = gitea.addComment('coop-cloud/hello', 1, 'alice', 'hello')
    const all = await client().listComments(repo, 1)
    expect(all.map((c) => [c.id, c.body, c.user?.login])).toEqual([[first.id, 'hello', 'alice']])
    expect(
      await client().listComments(repo, 1, new Date(Date.now() + 60_000).toISOString()),
    ).toEqual([])
    const posted = await client().createComment(repo, 1, 'cc-ci: started')
    expect(posted.body).toBe('cc-ci: started')
    const edited = await client().editComment(repo, posted.id, 'cc-ci: done')
    expect(edited.body).toBe('cc-ci: done')
    expect(gitea.comments.find((c) => c.id === posted.id)?.body).toBe('cc-ci: done')
  })

  test('org membership: 204 yes, 404 no', async () => {
    expect(await client().isOrgMember('coop-cloud', 'alice')).toBe(true)
    expect(await client().isOrgMember('coop-cloud', 'mallory')).toBe(false)
  })

  test('a commit status is set on a SHA', async () => {
    await client().setStatus(repo, SHA, {
      state: 'pending',
      context: 'cc-ci',
      description: 'run started',
      targetUrl: 'https://ci/1',
    })
    expect(gitea.statuses.at(-1)).toMatchObject({
      sha: SHA,
      state: 'pending',
      context: 'cc-ci',
      target_url: 'https://ci/1',
    })
  })

  test('a wrong token is an error with a hint, and the token is not in it', async () => {
    const error = await new GiteaClient({ url: gitea.url, token: 'wrong-token-value' })
      .listOpenPulls(repo)
      .catch((e: unknown) => e)
    expect(isCcciError(error, 'CCCI_API_STATUS')).toBe(true)
    expect(String((error as Error).message)).toContain('401')
    expect(JSON.stringify(error)).not.toContain('wrong-token-value')
  })

  test('a 429 is waited out and retried; one that does not end is an error', async () => {
    gitea.rateLimit(2)
    expect((await client().listOpenPulls(repo)).length).toBe(2)
    gitea.rateLimit(10)
    const error = await client()
      .listOpenPulls(repo)
      .catch((e: unknown) => e)
    expect(isCcciError(error, 'CCCI_API_RATE_LIMITED')).toBe(true)
    gitea.rateLimit(0)
  })
})

describe('Drone', () => {
  const params = {
    RECIPE: 'hello',
    SRC: '/srv/git/hello.git',
    REF: SHA,
    PR: '1',
    QUICK: '0' as const,
    FORGE_REPO: 'coop-cloud/hello',
  }

  test('a build is created with the run parameters (event custom)', async () => {
    const client = new DroneClient({ url: drone.url, token: DRONE_TOKEN })
    const build = await client.createBuild('coop-cloud/cc-ci', 'main', params)
    expect(build).toMatchObject({ number: 1, status: 'pending', event: 'custom', params })
    expect(client.buildLink('coop-cloud/cc-ci', build.number)).toBe(
      `${drone.url}/coop-cloud/cc-ci/1`,
    )
    expect(drone.requests.at(-1)?.headers.authorization).toBe(`Bearer ${DRONE_TOKEN}`)
  })

  test('an unknown repository is 404, a wrong token 401', async () => {
    const unknown = await new DroneClient({ url: drone.url, token: DRONE_TOKEN })
      .createBuild('coop-cloud/nope', 'main', params)
      .catch((e: unknown) => e)
    expect(String((unknown as Error).message)).toContain('404')
    const refused = await new DroneClient({ url: drone.url, token: 'not-the-token' })
      .createBuild('coop-cloud/cc-ci', 'main', params)
      .catch((e: unknown) => e)
    expect(String((refused as Error).message)).toContain('401')
  })
})

test('canary: a token an API echoes back in an error never reaches the error text', async () => {
  const echo = await startFake((r) => ({
    status: 500,
    body: { message: `bad auth ${String(r.headers.authorization)}` },
  }))
  try {
    const error = await new DroneClient({ url: echo.url, token: 'canary-echo-token-77e1' })
      .createBuild('a/b', 'main', {} as never)
      .catch((e: unknown) => e)
    expect(isCcciError(error, 'CCCI_API_STATUS')).toBe(true)
    expect((error as Error).message).toContain('[REDACTED]')
    expect((error as Error).message).not.toContain('canary-echo-token-77e1')
  } finally {
    await echo.close()
  }
})

test('an answer that is not the documented shape is an error naming the field', async () => {
  const html = await startFake(() => ({ status: 200, body: [{ number: 'one' }] }))
  try {
    const error = await new GiteaClient({ url: html.url, token: 't0ken' })
      .listOpenPulls({ owner: 'a', name: 'b' })
      .catch((e: unknown) => e)
    expect(isCcciError(error, 'CCCI_API_RESPONSE')).toBe(true)
  } finally {
    await html.close()
  }
})
