import { createHmac } from 'node:crypto'
import { FakeServer, type FakeReply, type Received } from '../http-fake.ts'

/**
 * A Gitea test server: the subset of Gitea's REST API (`/api/v1`, paths and shapes as in Gitea's
 * swagger) the bridge and `ccci verdict` use, in memory. Token auth (`Authorization: token ...`),
 * 401 `{"message": ...}` otherwise; 404 for unknown repos, PRs, comments. It can answer the next
 * requests with 429 + Retry-After (rate limit), and it delivers webhooks the way Gitea does
 * (`X-Gitea-Event`, `X-Gitea-Signature`: hex HMAC-SHA256 of the body).
 */
export interface FakeUser {
  id: number
  login: string
}

export interface FakeRepo {
  owner: string
  name: string
  cloneUrl: string
}

export interface FakePull {
  repo: string
  number: number
  state: 'open' | 'closed'
  headRef: string
  headSha: string
  /** `owner/name` of the head repo (a fork), or undefined: the base repo; null: a deleted fork. */
  headRepo?: string | null
  author: string
}

export interface FakeComment {
  id: number
  repo: string
  issue: number
  body: string
  user: string
  created_at: string
  updated_at: string
}

export interface FakeStatus {
  repo: string
  sha: string
  state: string
  context: string
  description: string
  target_url: string
}

export class GiteaServer extends FakeServer {
  readonly token: string
  readonly repos = new Map<string, FakeRepo>()
  readonly pulls: FakePull[] = []
  readonly comments: FakeComment[] = []
  readonly statuses: FakeStatus[] = []
  readonly orgs = new Map<string, Set<string>>()
  #users = new Map<string, FakeUser>()
  #nextId = 1000
  #rateLimited = 0

  constructor(token: string) {
    super()
    this.token = token
  }

  user(login: string): FakeUser {
    let user = this.#users.get(login)
    if (user === undefined) {
      user = { id: this.#users.size + 1, login }
      this.#users.set(login, user)
    }
    return user
  }

  addRepo(owner: string, name: string, cloneUrl: string): void {
    this.repos.set(`${owner}/${name}`, { owner, name, cloneUrl })
  }

  addMember(org: string, login: string): void {
    this.orgs.set(org, new Set([...(this.orgs.get(org) ?? []), login]))
  }

  addPull(pull: FakePull): void {
    this.pulls.push(pull)
  }

  /** A comment as a person would post it (not through the API's token). */
  addComment(repo: string, issue: number, user: string, body: string): FakeComment {
    const now = new Date().toISOString()
    const comment = {
      id: this.#nextId++,
      repo,
      issue,
      body,
      user,
      created_at: now,
      updated_at: now,
    }
    this.comments.push(comment)
    return comment
  }

  /** The next `count` API requests answer 429 with `Retry-After: seconds`. */
  rateLimit(count: number): void {
    this.#rateLimited = count
  }

  /** Gitea's issue_comment webhook payload for a comment (IssueCommentPayload). */
  webhookPayload(comment: FakeComment, action = 'created'): string {
    const [owner = '', name = ''] = comment.repo.split('/')
    const isPull = this.pulls.some((p) => p.repo === comment.repo && p.number === comment.issue)
    return JSON.stringify({
      action,
      issue: {
        id: comment.issue,
        number: comment.issue,
        pull_request: isPull ? { merged: false } : null,
      },
      comment: this.#commentJson(comment),
      repository: { id: 1, name, full_name: `${owner}/${name}`, owner: this.user(owner) },
      sender: this.user(comment.user),
      is_pull: isPull,
    })
  }

  /** Delivers a comment's webhook to `url` as Gitea does; `secret` signs it. */
  async deliverWebhook(
    url: string,
    comment: FakeComment,
    secret: string,
    signature?: string,
  ): Promise<number> {
    const body = this.webhookPayload(comment)
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-gitea-event': 'issue_comment',
        'x-gitea-event-type': 'pull_request_comment',
        'x-gitea-delivery': crypto.randomUUID(),
        'x-gitea-signature': signature ?? createHmac('sha256', secret).update(body).digest('hex'),
      },
      body,
    })
    await response.arrayBuffer()
    return response.status
  }

  #commentJson(c: FakeComment) {
    return {
      id: c.id,
      html_url: `${this.url}/${c.repo}/pulls/${c.issue}#issuecomment-${c.id}`,
      pull_request_url: `${this.url}/${c.repo}/pulls/${c.issue}`,
      issue_url: '',
      user: this.user(c.user),
      original_author: '',
      original_author_id: 0,
      body: c.body,
      assets: [],
      created_at: c.created_at,
      updated_at: c.updated_at,
    }
  }

  #repoJson(full: string) {
    const repo = this.repos.get(full)
    if (repo === undefined) {
      return null
    }
    return {
      id: [...this.repos.keys()].indexOf(full) + 1,
      owner: this.user(repo.owner),
      name: repo.name,
      full_name: full,
      private: false,
      fork: false,
      html_url: `${this.url}/${full}`,
      clone_url: repo.cloneUrl,
      default_branch: 'main',
    }
  }

  #pullJson(p: FakePull) {
    const headFull = p.headRepo === undefined ? p.repo : p.headRepo
    const base = this.#repoJson(p.repo)
    const head = headFull === null ? null : this.#repoJson(headFull)
    return {
      id: p.number + 10_000,
      url: `${this.url}/${p.repo}/pulls/${p.number}`,
      number: p.number,
      user: this.user(p.author),
      title: `PR ${p.number}`,
      body: '',
      state: p.state,
      html_url: `${this.url}/${p.repo}/pulls/${p.number}`,
      mergeable: true,
      merged: false,
      head: {
        label: p.headRef,
        ref: p.headRef,
        sha: p.headSha,
        repo_id: head?.id ?? 0,
        repo: head,
      },
      base: { label: 'main', ref: 'main', sha: '0'.repeat(40), repo_id: base?.id ?? 0, repo: base },
    }
  }

  protected handle(r: Received): FakeReply {
    if (this.#rateLimited > 0) {
      this.#rateLimited--
      return { status: 429, headers: { 'retry-after': '0' }, body: { message: 'rate limited' } }
    }
    if (r.headers.authorization !== `token ${this.token}`) {
      return { status: 401, body: { message: 'token is required', url: `${this.url}/api/swagger` } }
    }
    const notFound: FakeReply = {
      status: 404,
      body: { errors: ['not found'], message: "The target couldn't be found." },
    }
    const seg = r.path.split('/').map(decodeURIComponent)
    // ['', 'api', 'v1', ...]
    if (seg[1] !== 'api' || seg[2] !== 'v1') {
      return notFound
    }
    const rest = seg.slice(3)
    if (rest[0] === 'orgs' && rest[2] === 'members' && rest.length === 4 && r.method === 'GET') {
      const members = this.orgs.get(rest[1] ?? '')
      if (members === undefined) {
        return notFound
      }
      return { status: members.has(rest[3] ?? '') ? 204 : 404 }
    }
    if (rest[0] !== 'repos' || rest.length < 4) {
      return notFound
    }
    const full = `${rest[1]}/${rest[2]}`
    if (!this.repos.has(full)) {
      return notFound
    }
    const [, , , kind, a, b, c] = rest
    if (kind === 'pulls' && a === undefined && r.method === 'GET') {
      const state = r.query.get('state') ?? 'open'
      const limit = Number(r.query.get('limit') ?? '30')
      const page = Number(r.query.get('page') ?? '1')
      const all = this.pulls.filter(
        (p) => p.repo === full && (state === 'all' || p.state === state),
      )
      return {
        status: 200,
        body: all.slice((page - 1) * limit, page * limit).map((p) => this.#pullJson(p)),
      }
    }
    if (kind === 'pulls' && a !== undefined && b === undefined && r.method === 'GET') {
      const pull = this.pulls.find((p) => p.repo === full && p.number === Number(a))
      return pull === undefined ? notFound : { status: 200, body: this.#pullJson(pull) }
    }
    if (
      kind === 'issues' &&
      a === 'comments' &&
      b !== undefined &&
      c === undefined &&
      r.method === 'PATCH'
    ) {
      const comment = this.comments.find((x) => x.repo === full && x.id === Number(b))
      if (comment === undefined) {
        return notFound
      }
      comment.body = (JSON.parse(r.body) as { body: string }).body
      comment.updated_at = new Date().toISOString()
      return { status: 200, body: this.#commentJson(comment) }
    }
    if (kind === 'issues' && a !== undefined && b === 'comments' && c === undefined) {
      const issue = Number(a)
      if (!this.pulls.some((p) => p.repo === full && p.number === issue)) {
        return notFound
      }
      if (r.method === 'GET') {
        const since = r.query.get('since')
        const list = this.comments.filter(
          (x) =>
            x.repo === full &&
            x.issue === issue &&
            (since === null || x.updated_at >= new Date(since).toISOString()),
        )
        return { status: 200, body: list.map((x) => this.#commentJson(x)) }
      }
      if (r.method === 'POST') {
        const { body } = JSON.parse(r.body) as { body: string }
        const comment = this.addComment(full, issue, 'cc-ci-bot', body)
        return { status: 201, body: this.#commentJson(comment) }
      }
    }
    if (kind === 'statuses' && a !== undefined && b === undefined && r.method === 'POST') {
      const input = JSON.parse(r.body) as Partial<FakeStatus>
      if (!['pending', 'success', 'error', 'failure', 'warning'].includes(input.state ?? '')) {
        return { status: 422, body: { message: 'invalid state' } }
      }
      const status: FakeStatus = {
        repo: full,
        sha: a,
        state: input.state ?? '',
        context: input.context ?? 'default',
        description: input.description ?? '',
        target_url: input.target_url ?? '',
      }
      this.statuses.push(status)
      return {
        status: 201,
        body: {
          id: this.statuses.length,
          status: status.state,
          context: status.context,
          description: status.description,
          target_url: status.target_url,
          creator: this.user('cc-ci-bot'),
        },
      }
    }
    return { status: 405, body: { message: 'method not allowed' } }
  }
}
