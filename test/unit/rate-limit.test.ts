import { expect, test } from 'vitest'
import { MAX_RATE_WAIT_MS, rateLimitAdvice, retryAfterMs } from '../../harness/http/rate-limit.ts'

const NOW = Date.parse('2026-03-01T12:00:00Z')

test('Retry-After in seconds or as an HTTP date', () => {
  expect(retryAfterMs('7', NOW)).toBe(7000)
  expect(retryAfterMs('Sun, 01 Mar 2026 12:00:30 GMT', NOW)).toBe(30_000)
  expect(retryAfterMs('Sun, 01 Mar 2026 11:00:00 GMT', NOW)).toBe(0)
  expect(retryAfterMs('soon', NOW)).toBeUndefined()
  expect(retryAfterMs(undefined, NOW)).toBeUndefined()
})

test('a 429 or 503 is retried after Retry-After, else the reset, else a backoff', () => {
  expect(rateLimitAdvice(429, { 'Retry-After': '3' }, 0, NOW)).toEqual({
    retry: true,
    waitMs: 3000,
  })
  expect(rateLimitAdvice(503, { 'retry-after': '1' }, 0, NOW)).toEqual({
    retry: true,
    waitMs: 1000,
  })
  expect(rateLimitAdvice(429, { 'x-ratelimit-reset': String(NOW / 1000 + 20) }, 0, NOW)).toEqual({
    retry: true,
    waitMs: 20_000,
  })
  expect(rateLimitAdvice(429, {}, 2, NOW)).toEqual({ retry: true, waitMs: 4000 })
  expect(rateLimitAdvice(429, {}, 30, NOW).waitMs).toBe(MAX_RATE_WAIT_MS)
})

test('an exhausted budget delays the next request; an answer with budget left does not', () => {
  expect(
    rateLimitAdvice(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' }, 0, NOW),
  ).toEqual({ retry: false, waitMs: 12_000 })
  expect(
    rateLimitAdvice(200, { 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '12' }, 0, NOW),
  ).toEqual({ retry: false, waitMs: 0 })
  expect(rateLimitAdvice(404, {}, 0, NOW)).toEqual({ retry: false, waitMs: 0 })
})
