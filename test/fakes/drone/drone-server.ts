import { FakeServer, type FakeReply, type Received } from '../http-fake.ts'

/**
 * A Drone test server: the build-create call of Drone's API
 * (`POST /api/repos/{namespace}/{name}/builds?branch=&commit=&KEY=value`: every other query
 * parameter becomes a build parameter, event `custom`, answer 200 with the build) and reading a
 * build back (`GET /api/repos/{namespace}/{name}/builds/{number}`). Bearer token auth; 401
 * `{"message":"Unauthorized"}` otherwise, 404 for an unknown repository.
 */
export interface FakeBuild {
  id: number
  repo_id: number
  number: number
  status: string
  event: string
  action: string
  ref: string
  source: string
  target: string
  params: Record<string, string>
  created: number
}

export class DroneServer extends FakeServer {
  readonly token: string
  readonly repos: Set<string>
  readonly builds = new Map<string, FakeBuild[]>()
  /** Called for each build created (e.g. to run the pipeline's step). */
  onBuild: ((repo: string, build: FakeBuild) => void) | undefined

  constructor(token: string, repos: string[]) {
    super()
    this.token = token
    this.repos = new Set(repos)
  }

  /** Every build of every repo. */
  allBuilds(): FakeBuild[] {
    return [...this.builds.values()].flat()
  }

  protected handle(r: Received): FakeReply {
    if (r.headers.authorization !== `Bearer ${this.token}`) {
      return { status: 401, body: { message: 'Unauthorized' } }
    }
    const m = /^\/api\/repos\/([^/]+)\/([^/]+)\/builds(?:\/(\d+))?$/.exec(r.path)
    if (m === null) {
      return { status: 404, body: { message: 'Not Found' } }
    }
    const repo = `${decodeURIComponent(m[1] ?? '')}/${decodeURIComponent(m[2] ?? '')}`
    if (!this.repos.has(repo)) {
      return { status: 404, body: { message: 'Not Found' } }
    }
    const list = this.builds.get(repo) ?? []
    if (m[3] !== undefined && r.method === 'GET') {
      const build = list.find((b) => b.number === Number(m[3]))
      return build === undefined
        ? { status: 404, body: { message: 'Not Found' } }
        : { status: 200, body: build }
    }
    if (m[3] === undefined && r.method === 'POST') {
      const branch = r.query.get('branch') || 'main'
      const params: Record<string, string> = {}
      for (const [key, value] of r.query) {
        if (key !== 'access_token' && key !== 'commit' && key !== 'branch' && !(key in params)) {
          params[key] = value
        }
      }
      const build: FakeBuild = {
        id: this.allBuilds().length + 500,
        repo_id: [...this.repos].indexOf(repo) + 1,
        number: list.length + 1,
        status: 'pending',
        event: 'custom',
        action: '',
        ref: `refs/heads/${branch}`,
        source: branch,
        target: branch,
        params,
        created: Math.floor(Date.now() / 1000),
      }
      this.builds.set(repo, [...list, build])
      this.onBuild?.(repo, build)
      return { status: 200, body: build }
    }
    return { status: 405, body: { message: 'Method Not Allowed' } }
  }
}
