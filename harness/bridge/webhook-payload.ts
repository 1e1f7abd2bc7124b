import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'

/** Webhook bodies larger than this are refused before reading further (a comment event is small). */
export const MAX_WEBHOOK_BYTES = 256 * 1024

/**
 * Whether `signature` (the `X-Gitea-Signature` header: hex HMAC-SHA256 of the raw body with the
 * webhook's secret) is right. Constant-time; a missing, malformed or short header is false.
 */
export function validSignature(
  body: Buffer,
  signature: string | undefined,
  secret: string,
): boolean {
  if (signature === undefined || !/^[0-9a-fA-F]{64}$/.test(signature.trim()) || secret === '') {
    return false
  }
  const expected = createHmac('sha256', secret).update(body).digest()
  const given = Buffer.from(signature.trim(), 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** The part of Gitea's issue_comment payload (IssueCommentPayload) the bridge reads. */
const CommentEvent = z.object({
  action: z.string(),
  is_pull: z.boolean().optional(),
  issue: z.object({
    number: z.number().int().positive(),
    pull_request: z.unknown().optional(),
  }),
  comment: z.object({
    id: z.number().int().positive(),
    body: z.string(),
    user: z.object({ login: z.string().min(1) }),
  }),
  repository: z.object({ full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/) }),
})

export interface WebhookComment {
  repo: string
  pr: number
  commentId: number
  body: string
  author: string
}

/**
 * The new PR comment a webhook delivers, or undefined for anything else (another event, an edit
 * or deletion, an issue comment, a body that is not the payload).
 */
export function webhookComment(
  event: string | undefined,
  body: string,
): WebhookComment | undefined {
  if (event !== 'issue_comment' && event !== 'pull_request_comment') {
    return undefined
  }
  let data: unknown
  try {
    data = JSON.parse(body)
  } catch {
    return undefined
  }
  const parsed = CommentEvent.safeParse(data)
  if (!parsed.success || parsed.data.action !== 'created') {
    return undefined
  }
  const p = parsed.data
  const isPull = p.is_pull ?? (p.issue.pull_request !== undefined && p.issue.pull_request !== null)
  if (!isPull) {
    return undefined
  }
  return {
    repo: p.repository.full_name,
    pr: p.issue.number,
    commentId: p.comment.id,
    body: p.comment.body,
    author: p.comment.user.login,
  }
}
