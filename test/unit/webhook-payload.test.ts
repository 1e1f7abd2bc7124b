import { createHmac } from 'node:crypto'
import { expect, test } from 'vitest'
import { validSignature, webhookComment } from '../../harness/bridge/webhook-payload.ts'

const SECRET = 'a-webhook-secret-of-some-length'
const sign = (body: string, secret = SECRET) =>
  createHmac('sha256', secret).update(body).digest('hex')

test('only the HMAC-SHA256 of the exact body with the secret is valid', () => {
  const body = '{"action":"created"}'
  expect(validSignature(Buffer.from(body), sign(body), SECRET)).toBe(true)
  expect(validSignature(Buffer.from(body), sign(body).toUpperCase(), SECRET)).toBe(true)
  expect(validSignature(Buffer.from(`${body} `), sign(body), SECRET)).toBe(false)
  expect(validSignature(Buffer.from(body), sign(body, 'another-secret-entirely'), SECRET)).toBe(
    false,
  )
  expect(validSignature(Buffer.from(body), undefined, SECRET)).toBe(false)
  expect(validSignature(Buffer.from(body), '', SECRET)).toBe(false)
  expect(validSignature(Buffer.from(body), sign(body).slice(0, 40), SECRET)).toBe(false)
  expect(validSignature(Buffer.from(body), `sha256=${sign(body)}`, SECRET)).toBe(false)
  expect(validSignature(Buffer.from(body), 'zz'.repeat(32), SECRET)).toBe(false)
})

const payload = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    action: 'created',
    is_pull: true,
    issue: { number: 4, pull_request: { merged: false } },
    comment: { id: 99, body: '!testme', user: { login: 'alice' } },
    repository: { full_name: 'coop-cloud/hello' },
    ...overrides,
  })

test('a new PR comment is read from an issue_comment payload', () => {
  expect(webhookComment('issue_comment', payload())).toEqual({
    repo: 'coop-cloud/hello',
    pr: 4,
    commentId: 99,
    body: '!testme',
    author: 'alice',
  })
  expect(webhookComment('pull_request_comment', payload())).toBeDefined()
})

test('other events, edits, issue comments and garbage are nothing', () => {
  expect(webhookComment('push', payload())).toBeUndefined()
  expect(webhookComment(undefined, payload())).toBeUndefined()
  expect(webhookComment('issue_comment', payload({ action: 'edited' }))).toBeUndefined()
  expect(
    webhookComment(
      'issue_comment',
      payload({ is_pull: false, issue: { number: 4, pull_request: null } }),
    ),
  ).toBeUndefined()
  expect(webhookComment('issue_comment', '{not json')).toBeUndefined()
  expect(
    webhookComment('issue_comment', payload({ repository: { full_name: 'a/b/c' } })),
  ).toBeUndefined()
})
