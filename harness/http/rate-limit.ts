/**
 * How long to wait before the next request to an API, from what the last response said: a 429 or
 * 503 with `Retry-After` (seconds or an HTTP date), or `X-RateLimit-Remaining: 0` with
 * `X-RateLimit-Reset` (epoch seconds, or seconds from now when small). Pure: the caller sleeps.
 */
export interface RateLimitAdvice {
  /** Retry this request after waiting `waitMs` (429, 503). */
  retry: boolean
  /** Milliseconds to wait before the next request; 0: go on. */
  waitMs: number
}

/** Waits are never longer than this; past it the caller gives up with an error. */
export const MAX_RATE_WAIT_MS = 120_000

function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name)
  return key === undefined ? undefined : headers[key]
}

/** `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined
  }
  const text = value.trim()
  if (/^\d{1,9}$/.test(text)) {
    return Number(text) * 1000
  }
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/** `X-RateLimit-Reset` in ms from now: epoch seconds (large) or seconds from now (small). */
function resetMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || !/^\d{1,12}$/.test(value.trim())) {
    return undefined
  }
  const n = Number(value.trim())
  return n > 1_000_000_000 ? Math.max(0, n * 1000 - nowMs) : n * 1000
}

export function rateLimitAdvice(
  status: number,
  headers: Record<string, string>,
  attempt: number,
  nowMs: number,
): RateLimitAdvice {
  const backoff = Math.min(MAX_RATE_WAIT_MS, 1000 * 2 ** attempt)
  const reset = resetMs(header(headers, 'x-ratelimit-reset'), nowMs)
  if (status === 429 || status === 503) {
    const after = retryAfterMs(header(headers, 'retry-after'), nowMs) ?? reset ?? backoff
    return { retry: true, waitMs: after }
  }
  if (header(headers, 'x-ratelimit-remaining')?.trim() === '0' && reset !== undefined) {
    return { retry: false, waitMs: reset }
  }
  return { retry: false, waitMs: 0 }
}
