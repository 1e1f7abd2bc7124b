import { z } from 'zod'
import { apiPath, createApiClient, type ApiClient } from '../http/index.ts'
import {
  GiteaComment,
  GiteaCommitStatus,
  GiteaPullRequest,
  type CommitState,
} from './gitea-schemas.ts'

/** `owner/name` of a repository on the forge. */
export interface RepoRef {
  owner: string
  name: string
}

export function repoName(repo: RepoRef): string {
  return `${repo.owner}/${repo.name}`
}

export interface CommitStatusInput {
  state: CommitState
  context: string
  description: string
  targetUrl?: string
}

export interface GiteaClientOptions {
  /** The forge's URL, e.g. `https://git.coopcloud.tech` (the API is below `/api/v1`). */
  url: string
  token: string | undefined
  timeoutMs?: number
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

/** Pages are read up to this many (50 items each): a repo with more open PRs is not sane. */
const MAX_PAGES = 20
const PAGE = 50

/**
 * The Gitea REST API calls the bridge and `ccci verdict` make (paths as in Gitea's swagger,
 * `/api/v1`), authenticated with `Authorization: token <token>`.
 */
export class GiteaClient {
  readonly #api: ApiClient
  readonly url: string

  constructor(options: GiteaClientOptions) {
    this.url = options.url.replace(/\/+$/, '')
    this.#api = createApiClient({
      service: 'Gitea',
      baseUrl: `${this.url}/api/v1`,
      authorization: options.token === undefined ? undefined : `token ${options.token}`,
      token: options.token,
      hint: `check CCCI_GITEA_URL (${this.url}) and that the token in CCCI_GITEA_TOKEN is valid and has the scopes docs/operating.md lists`,
      timeoutMs: options.timeoutMs,
      now: options.now,
      sleep: options.sleep,
    })
  }

  /** Open pull requests of a repo (`GET /repos/{owner}/{repo}/pulls?state=open`). */
  async listOpenPulls(repo: RepoRef): Promise<GiteaPullRequest[]> {
    const all: GiteaPullRequest[] = []
    for (let page = 1; page <= MAX_PAGES; page++) {
      const items = await this.#api.json(
        {
          method: 'GET',
          path: apiPath`/repos/${repo.owner}/${repo.name}/pulls`,
          query: { state: 'open', page, limit: PAGE },
        },
        z.array(GiteaPullRequest),
      )
      all.push(...items)
      if (items.length < PAGE) {
        break
      }
    }
    return all
  }

  /** One pull request: its head repo, ref and SHA (`GET /repos/{owner}/{repo}/pulls/{index}`). */
  getPull(repo: RepoRef, index: number): Promise<GiteaPullRequest> {
    return this.#api.json(
      { method: 'GET', path: apiPath`/repos/${repo.owner}/${repo.name}/pulls/${index}` },
      GiteaPullRequest,
    )
  }

  /**
   * Comments of a PR (`GET /repos/{owner}/{repo}/issues/{index}/comments`), those updated since
   * `since` (RFC 3339) when given.
   */
  listComments(repo: RepoRef, index: number, since?: string): Promise<GiteaComment[]> {
    return this.#api.json(
      {
        method: 'GET',
        path: apiPath`/repos/${repo.owner}/${repo.name}/issues/${index}/comments`,
        query: { since },
      },
      z.array(GiteaComment),
    )
  }

  /**
   * Whether `username` is a member of `org` (`GET /orgs/{org}/members/{username}`: 204 yes, 404
   * no). A 303 (the token's user cannot see private memberships) and every error throw: the
   * caller treats any error as "no".
   */
  async isOrgMember(org: string, username: string): Promise<boolean> {
    const response = await this.#api.call({
      method: 'GET',
      path: apiPath`/orgs/${org}/members/${username}`,
      expect: [204, 404],
    })
    return response.status === 204
  }

  /** Adds a comment to a PR (`POST /repos/{owner}/{repo}/issues/{index}/comments`). */
  createComment(repo: RepoRef, index: number, body: string): Promise<GiteaComment> {
    return this.#api.json(
      {
        method: 'POST',
        path: apiPath`/repos/${repo.owner}/${repo.name}/issues/${index}/comments`,
        body: { body },
        expect: [201],
      },
      GiteaComment,
    )
  }

  /** Replaces a comment's body (`PATCH /repos/{owner}/{repo}/issues/comments/{id}`). */
  editComment(repo: RepoRef, id: number, body: string): Promise<GiteaComment> {
    return this.#api.json(
      {
        method: 'PATCH',
        path: apiPath`/repos/${repo.owner}/${repo.name}/issues/comments/${id}`,
        body: { body },
        expect: [200, 201],
      },
      GiteaComment,
    )
  }

  /** Sets a commit status (`POST /repos/{owner}/{repo}/statuses/{sha}`). */
  async setStatus(repo: RepoRef, sha: string, status: CommitStatusInput): Promise<void> {
    await this.#api.json(
      {
        method: 'POST',
        path: apiPath`/repos/${repo.owner}/${repo.name}/statuses/${sha}`,
        body: {
          state: status.state,
          context: status.context,
          description: status.description.slice(0, 255),
          target_url: status.targetUrl ?? '',
        },
        expect: [200, 201],
      },
      GiteaCommitStatus,
    )
  }
}
