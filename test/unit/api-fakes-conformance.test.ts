import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DroneServer } from '../fakes/drone/drone-server.ts'
import { GiteaServer } from '../fakes/gitea/gitea-server.ts'

/**
 * The Gitea and Drone test servers against the documented APIs, with plain fetch (not the clients
 * they test): Gitea's swagger (`/api/v1`, `Authorization: token`, 201 for created comments and
 * statuses, 204/404 for org membership, `since` on comments, 422 for an unknown status state) and
 * Drone's "Build Create" (`POST /api/repos/{namespace}/{name}/builds`, 200, event `custom`, every
 * query parameter but `branch`, `commit` and `access_token` a build parameter).
 */
let gitea: GiteaServer
let drone: DroneServer
const SHA = 'd'.repeat(40)

beforeAll(async () => {
  gitea = await new GiteaServer('tk').start()
  gitea.addRepo('org', 'r', '/srv/r.git')
  gitea.addMember('org', 'alice')
  gitea.addPull({
    repo: 'org/r',
    number: 2,
    state: 'open',
    headRef: 'b',
    headSha: SHA,
    author: 'bob',
  })
  drone = await new DroneServer('dk', ['org/cc-ci']).start()
})

afterAll(async () => {
  await gitea.close()
  await drone.close()
})

const api = (path: string, init: RequestInit = {}, token = 'tk') =>
  fetch(`${gitea.url}/api/v1${path}`, {
    ...init,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
  })

describe('the Gitea test server', () => {
  test('needs the token', async () => {
    expect((await api('/repos/org/r/pulls', {}, 'nope')).status).toBe(401)
  })

  test('lists open pulls with head and base branch info, paged by page and limit', async () => {
    const response = await api('/repos/org/r/pulls?state=open&page=1&limit=50')
    expect(response.status).toBe(200)
    const [pull] = (await response.json()) as Record<string, unknown>[]
    expect(pull).toMatchObject({
      number: 2,
      state: 'open',
      head: { ref: 'b', sha: SHA, repo: { full_name: 'org/r', clone_url: '/srv/r.git' } },
      base: { ref: 'main', repo: { full_name: 'org/r' } },
    })
    expect(await (await api('/repos/org/r/pulls?state=open&page=2&limit=50')).json()).toEqual([])
    expect((await api('/repos/org/nope/pulls')).status).toBe(404)
  })

  test('comments: 201 on create, listed with since, edited through /issues/comments/{id}', async () => {
    const created = await api('/repos/org/r/issues/2/comments', {
      method: 'POST',
      body: JSON.stringify({ body: 'hi' }),
    })
    expect(created.status).toBe(201)
    const comment = (await created.json()) as { id: number; body: string; user: { login: string } }
    expect(comment).toMatchObject({ body: 'hi', user: { login: 'cc-ci-bot' } })
    const later = new Date(Date.now() + 60_000).toISOString()
    expect(await (await api(`/repos/org/r/issues/2/comments?since=${later}`)).json()).toEqual([])
    const edited = await api(`/repos/org/r/issues/comments/${comment.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ body: 'bye' }),
    })
    expect(edited.status).toBe(200)
    expect((await edited.json()) as object).toMatchObject({ id: comment.id, body: 'bye' })
    expect((await api('/repos/org/r/issues/99/comments')).status).toBe(404)
  })

  test('org membership is 204 or 404, with no body', async () => {
    const yes = await api('/orgs/org/members/alice')
    expect([yes.status, await yes.text()]).toEqual([204, ''])
    expect((await api('/orgs/org/members/mallory')).status).toBe(404)
  })

  test('a commit status is 201; an unknown state 422', async () => {
    const ok = await api(`/repos/org/r/statuses/${SHA}`, {
      method: 'POST',
      body: JSON.stringify({
        state: 'success',
        context: 'cc-ci',
        description: 'd',
        target_url: 'https://x',
      }),
    })
    expect(ok.status).toBe(201)
    expect((await ok.json()) as object).toMatchObject({ status: 'success', context: 'cc-ci' })
    const bad = await api(`/repos/org/r/statuses/${SHA}`, {
      method: 'POST',
      body: JSON.stringify({ state: 'neutral' }),
    })
    expect(bad.status).toBe(422)
  })

  test('a 429 carries Retry-After', async () => {
    gitea.rateLimit(1)
    const limited = await api('/repos/org/r/pulls')
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '0'])
    expect((await api('/repos/org/r/pulls')).status).toBe(200)
  })
})

describe('the Drone test server', () => {
  const create = (query: string, token = 'dk') =>
    fetch(`${drone.url}/api/repos/org/cc-ci/builds?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })

  test('creates a custom build with the query parameters as params', async () => {
    const response = await create('branch=main&commit=abc&access_token=x&RECIPE=r&QUICK=1')
    expect(response.status).toBe(200)
    expect((await response.json()) as object).toMatchObject({
      number: 1,
      status: 'pending',
      event: 'custom',
      ref: 'refs/heads/main',
      params: { RECIPE: 'r', QUICK: '1' },
    })
    const read = await fetch(`${drone.url}/api/repos/org/cc-ci/builds/1`, {
      headers: { authorization: 'Bearer dk' },
    })
    expect((await read.json()) as object).toMatchObject({
      number: 1,
      params: { RECIPE: 'r', QUICK: '1' },
    })
  })

  test('401 without the token, 404 for an unknown repository', async () => {
    expect((await create('branch=main', 'nope')).status).toBe(401)
    const unknown = await fetch(`${drone.url}/api/repos/org/other/builds`, {
      method: 'POST',
      headers: { authorization: 'Bearer dk' },
    })
    expect(unknown.status).toBe(404)
  })
})
