import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'

/** Where a comment came from: the poller or the webhook. */
export type Delivery = 'poll' | 'webhook' | 'baseline'

export interface StoredTrigger {
  repo: string
  commentId: number
  pr: number
  quick: boolean
  claimedBy: Delivery
  claimedAt: string
  buildNumber: number | undefined
  buildLink: string | undefined
  outcome: string
}

/**
 * The bridge's memory, one SQLite file in CCCI_HOME shared by the poller and the webhook, by every
 * bridge process of the machine and across restarts:
 *
 * - `comments`: every comment id the bridge has seen, per repo. A comment is claimed by the one
 *   `INSERT OR IGNORE` that inserts its row: whichever path (poll, webhook) gets there first fires
 *   it, the other sees no row changed. No read-then-write, so a race cannot fire it twice.
 * - `repos`: the repos whose existing comments were marked seen (the first poll's baseline) and
 *   the time of the last poll.
 * - `triggers`: what a claimed `!testme` led to (the build, or why not), for `ccci bridge` logs
 *   and a post-mortem.
 *
 * It holds no token, no comment body and no secret.
 */
export class BridgeStore {
  readonly #db: DatabaseSync

  constructor(file: string) {
    if (file !== ':memory:') {
      mkdirSync(dirname(file), { recursive: true })
    }
    this.#db = new DatabaseSync(file, { timeout: 5_000 })
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS comments (
        repo TEXT NOT NULL,
        comment_id INTEGER NOT NULL,
        pr INTEGER NOT NULL,
        claimed_by TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        PRIMARY KEY (repo, comment_id)
      );
      CREATE TABLE IF NOT EXISTS repos (
        repo TEXT PRIMARY KEY,
        baseline_at TEXT NOT NULL,
        polled_at TEXT
      );
      CREATE TABLE IF NOT EXISTS triggers (
        repo TEXT NOT NULL,
        comment_id INTEGER NOT NULL,
        pr INTEGER NOT NULL,
        quick INTEGER NOT NULL,
        build_number INTEGER,
        build_link TEXT,
        outcome TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (repo, comment_id)
      );
    `)
  }

  /**
   * Claims a comment: true exactly once per (repo, comment), for the first caller of any process.
   * A baseline claim marks a comment seen without firing it.
   */
  claim(repo: string, commentId: number, pr: number, by: Delivery): boolean {
    const result = this.#db
      .prepare(
        'INSERT OR IGNORE INTO comments (repo, comment_id, pr, claimed_by, claimed_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(repo, commentId, pr, by, new Date().toISOString())
    return Number(result.changes) === 1
  }

  /** Whether the repo's existing comments were marked seen already (its first poll happened). */
  hasBaseline(repo: string): boolean {
    return this.#db.prepare('SELECT 1 FROM repos WHERE repo = ?').get(repo) !== undefined
  }

  markBaseline(repo: string): void {
    this.#db
      .prepare('INSERT OR IGNORE INTO repos (repo, baseline_at) VALUES (?, ?)')
      .run(repo, new Date().toISOString())
  }

  markPolled(repo: string, at: string): void {
    this.#db.prepare('UPDATE repos SET polled_at = ? WHERE repo = ?').run(at, repo)
  }

  lastPolled(repo: string): string | undefined {
    const row = this.#db.prepare('SELECT polled_at FROM repos WHERE repo = ?').get(repo) as
      { polled_at: string | null } | undefined
    return row?.polled_at ?? undefined
  }

  /** Records what a claimed trigger led to (written after the claim, by its one owner). */
  recordTrigger(
    repo: string,
    commentId: number,
    pr: number,
    quick: boolean,
    outcome: string,
    build?: { number: number; link: string },
  ): void {
    this.#db
      .prepare(
        `INSERT INTO triggers (repo, comment_id, pr, quick, build_number, build_link, outcome, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (repo, comment_id) DO UPDATE SET build_number = excluded.build_number,
           build_link = excluded.build_link, outcome = excluded.outcome, updated_at = excluded.updated_at`,
      )
      .run(
        repo,
        commentId,
        pr,
        quick ? 1 : 0,
        build?.number ?? null,
        build?.link ?? null,
        outcome,
        new Date().toISOString(),
      )
  }

  triggers(): StoredTrigger[] {
    const rows = this.#db
      .prepare(
        `SELECT t.repo, t.comment_id, t.pr, t.quick, t.build_number, t.build_link, t.outcome,
                c.claimed_by, c.claimed_at
         FROM triggers t JOIN comments c USING (repo, comment_id) ORDER BY c.claimed_at`,
      )
      .all() as {
      repo: string
      comment_id: number
      pr: number
      quick: number
      build_number: number | null
      build_link: string | null
      outcome: string
      claimed_by: Delivery
      claimed_at: string
    }[]
    return rows.map((r) => ({
      repo: r.repo,
      commentId: r.comment_id,
      pr: r.pr,
      quick: r.quick === 1,
      claimedBy: r.claimed_by,
      claimedAt: r.claimed_at,
      buildNumber: r.build_number ?? undefined,
      buildLink: r.build_link ?? undefined,
      outcome: r.outcome,
    }))
  }

  close(): void {
    this.#db.close()
  }
}
