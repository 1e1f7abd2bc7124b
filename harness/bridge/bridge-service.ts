import type { DroneClient } from '../drone/drone-client.ts'
import { describeError } from '../errors.ts'
import { repoName, type GiteaClient, type RepoRef } from '../forge/gitea-client.ts'
import { redact } from '../redaction/redact.ts'
import type { BridgeStore, Delivery } from './bridge-store.ts'
import type { EnrolledRecipe } from './enrolment.ts'
import type { JsonLog } from './json-log.ts'
import { ackComment, statusContextFor, triggerFailedComment } from './trigger-messages.ts'
import { parseTrigger } from './trigger-command.ts'

export interface BridgeDeps {
  gitea: GiteaClient
  drone: DroneClient
  store: BridgeStore
  log: JsonLog
  enrolled: EnrolledRecipe[]
  org: string
  allowlist: Set<string>
  droneRepo: string
  droneBranch: string
  statusContext: string
}

/** A PR comment as either path delivers it. */
export interface IncomingComment {
  repo: RepoRef
  pr: number
  commentId: number
  body: string
  author: string
}

/** What became of one delivered comment (for logs and tests). */
export type CommentOutcome =
  'duplicate' | 'not-a-trigger' | 'refused' | 'not-enrolled' | 'triggered' | 'failed'

/** Comments updated this long before the last poll are read again (clock skew with the forge). */
const POLL_OVERLAP_MS = 60 * 60 * 1000

/**
 * The bridge: the poller (primary) and the webhook (optional) hand every PR comment to
 * `handleComment`, which claims it in the store first (at most once, whatever the path or the
 * process), then parses it, checks the commenter (fail closed), starts the Drone build and
 * acknowledges on the PR.
 */
export class BridgeService {
  readonly #deps: BridgeDeps
  readonly #byRepo = new Map<string, EnrolledRecipe>()

  constructor(deps: BridgeDeps) {
    this.#deps = deps
    for (const entry of deps.enrolled) {
      const key = repoName(entry.repo).toLowerCase()
      if (this.#byRepo.has(key)) {
        deps.log('warn', 'enrolment.duplicate', { repo: key, recipe: entry.recipe })
        continue
      }
      this.#byRepo.set(key, entry)
    }
  }

  /** The recipe enrolled for a forge repo (`owner/name`, any case). */
  recipeOf(repo: string): EnrolledRecipe | undefined {
    return this.#byRepo.get(repo.toLowerCase())
  }

  get repos(): EnrolledRecipe[] {
    return [...this.#byRepo.values()]
  }

  /** One poll of every enrolled repo; a repo that fails is logged and retried next time. */
  async pollOnce(): Promise<void> {
    for (const entry of this.repos) {
      try {
        await this.#pollRepo(entry)
      } catch (error) {
        this.#deps.log('error', 'poll.failed', {
          repo: repoName(entry.repo),
          error: describeError(error),
        })
      }
    }
  }

  async #pollRepo(entry: EnrolledRecipe): Promise<void> {
    const { gitea, store, log } = this.#deps
    const name = repoName(entry.repo)
    const started = new Date()
    const baseline = !store.hasBaseline(name)
    const last = store.lastPolled(name)
    const since =
      baseline || last === undefined
        ? undefined
        : new Date(Date.parse(last) - POLL_OVERLAP_MS).toISOString()
    const pulls = await gitea.listOpenPulls(entry.repo)
    let seen = 0
    for (const pull of pulls) {
      const comments = await gitea.listComments(entry.repo, pull.number, since)
      for (const comment of comments) {
        if (baseline) {
          // The first poll: what is there already was not asked of this bridge.
          store.claim(name, comment.id, pull.number, 'baseline')
          seen++
          continue
        }
        await this.handleComment(
          {
            repo: entry.repo,
            pr: pull.number,
            commentId: comment.id,
            body: comment.body,
            author: comment.user?.login ?? '',
          },
          'poll',
        )
      }
    }
    if (baseline) {
      store.markBaseline(name)
      log('info', 'poll.baseline', { repo: name, pulls: pulls.length, comments: seen })
    }
    store.markPolled(name, started.toISOString())
  }

  /**
   * Handles one comment. The claim is the first thing done, synchronously: the webhook may
   * answer as soon as this returns its promise.
   */
  handleComment(comment: IncomingComment, via: Delivery): Promise<CommentOutcome> {
    const { store, log } = this.#deps
    const name = repoName(comment.repo)
    const entry = this.recipeOf(name)
    if (entry === undefined) {
      return Promise.resolve('not-enrolled')
    }
    if (!store.claim(repoName(entry.repo), comment.commentId, comment.pr, via)) {
      return Promise.resolve('duplicate')
    }
    const request = parseTrigger(comment.body)
    if (request === undefined) {
      return Promise.resolve('not-a-trigger')
    }
    log('info', 'trigger.claimed', {
      repo: name,
      pr: comment.pr,
      comment: comment.commentId,
      author: comment.author,
      quick: request.quick,
      via,
    })
    return this.#fire(entry, comment, request.quick)
  }

  /** Org member or on the allowlist; any error while checking is a no. */
  async mayTrigger(author: string): Promise<boolean> {
    const { gitea, org, allowlist, log } = this.#deps
    if (author === '') {
      return false
    }
    // Gitea logins are case-insensitive.
    if ([...allowlist].some((login) => login.toLowerCase() === author.toLowerCase())) {
      return true
    }
    try {
      return await gitea.isOrgMember(org, author)
    } catch (error) {
      log('warn', 'membership.check-failed', { author, org, error: describeError(error) })
      return false
    }
  }

  async #fire(
    entry: EnrolledRecipe,
    comment: IncomingComment,
    quick: boolean,
  ): Promise<CommentOutcome> {
    const { gitea, drone, store, log, droneRepo, droneBranch, statusContext } = this.#deps
    const name = repoName(entry.repo)
    if (!(await this.mayTrigger(comment.author))) {
      store.recordTrigger(
        name,
        comment.commentId,
        comment.pr,
        quick,
        `refused: ${comment.author} is not allowed`,
      )
      log('warn', 'trigger.refused', { repo: name, pr: comment.pr, author: comment.author })
      return 'refused'
    }
    let sha: string | undefined
    try {
      const pull = await gitea.getPull(entry.repo, comment.pr)
      sha = pull.head.sha
      const src = pull.head.repo?.clone_url ?? pull.base.repo?.clone_url
      if (src === undefined) {
        throw new Error(`PR #${comment.pr} has neither a head nor a base repository`)
      }
      const build = await drone.createBuild(droneRepo, droneBranch, {
        RECIPE: entry.recipe,
        SRC: src,
        REF: sha,
        PR: String(comment.pr),
        QUICK: quick ? '1' : '0',
        FORGE_REPO: name,
        CCCI_TRIGGERED_BY: comment.author,
      })
      const link = drone.buildLink(droneRepo, build.number)
      store.recordTrigger(name, comment.commentId, comment.pr, quick, 'triggered', {
        number: build.number,
        link,
      })
      log('info', 'trigger.started', { repo: name, pr: comment.pr, build: build.number, link, sha })
      await this.#acknowledge(entry, comment, quick, sha, build.number, link)
      return 'triggered'
    } catch (error) {
      const why = redact(describeError(error).split('\n')[0] ?? 'unknown error')
      store.recordTrigger(name, comment.commentId, comment.pr, quick, `failed: ${why}`)
      log('error', 'trigger.failed', { repo: name, pr: comment.pr, error: describeError(error) })
      await this.#tryPost(entry.repo, comment.pr, triggerFailedComment(entry.recipe, why))
      if (sha !== undefined) {
        await this.#trySetStatus(entry.repo, sha, {
          state: 'error',
          context: statusContextFor(statusContext, quick),
          description: 'cc-ci could not start the run',
        })
      }
      return 'failed'
    }
  }

  async #acknowledge(
    entry: EnrolledRecipe,
    comment: IncomingComment,
    quick: boolean,
    sha: string,
    buildNumber: number,
    link: string,
  ): Promise<void> {
    const { statusContext } = this.#deps
    await this.#trySetStatus(entry.repo, sha, {
      state: 'pending',
      context: statusContextFor(statusContext, quick),
      description: quick ? 'quick run started (lower confidence)' : 'run started',
      targetUrl: link,
    })
    await this.#tryPost(
      entry.repo,
      comment.pr,
      ackComment({
        recipe: entry.recipe,
        author: comment.author,
        sha,
        quick,
        buildNumber,
        buildLink: link,
        statusContext,
      }),
    )
  }

  async #tryPost(repo: RepoRef, pr: number, body: string): Promise<void> {
    try {
      await this.#deps.gitea.createComment(repo, pr, redact(body))
    } catch (error) {
      this.#deps.log('error', 'comment.failed', {
        repo: repoName(repo),
        pr,
        error: describeError(error),
      })
    }
  }

  async #trySetStatus(
    repo: RepoRef,
    sha: string,
    status: Parameters<GiteaClient['setStatus']>[2],
  ): Promise<void> {
    try {
      await this.#deps.gitea.setStatus(repo, sha, {
        ...status,
        description: redact(status.description),
      })
    } catch (error) {
      this.#deps.log('error', 'status.failed', {
        repo: repoName(repo),
        sha,
        error: describeError(error),
      })
    }
  }
}
