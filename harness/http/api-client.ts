import type { z } from 'zod'
import { CcciError } from '../errors.ts'
import { sleep } from '../poll.ts'
import { registerSecret, redact } from '../redaction/redact.ts'
import { httpFailure, httpRequest, type HttpOptions, type HttpResponse } from './http-client.ts'
import { MAX_RATE_WAIT_MS, rateLimitAdvice } from './rate-limit.ts'

/** One REST API (Gitea, Drone): its base URL, how it authenticates, what to tell a person. */
export interface ApiClientOptions {
  /** Shown in errors and logs, e.g. `Gitea`. */
  service: string
  /** e.g. `https://git.coopcloud.tech/api/v1`, no trailing slash. */
  baseUrl: string
  /** The `Authorization` header value (registered as a secret: never printed). */
  authorization: string | undefined
  /** The secret part of `authorization` (the token), registered for redaction too. */
  token: string | undefined
  /** What to do when the API refuses or fails (the hint of every error). */
  hint: string
  timeoutMs?: number
  /** Retries after a 429/503 before giving up. */
  maxRetries?: number
  /** Injected by tests; default real time. */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

export interface ApiCall {
  method: NonNullable<HttpOptions['method']>
  /** Path below the base URL, starting with `/`; the caller encodes its segments. */
  path: string
  query?: Record<string, string | number | undefined>
  body?: unknown
  /** Statuses that are an answer (not an error); default 200. */
  expect?: number[]
}

export interface ApiClient {
  /** The raw answer, once its status is one of `expect`. */
  call(request: ApiCall): Promise<HttpResponse>
  /** The answer's JSON body, validated. */
  json<T extends z.ZodType>(request: ApiCall, schema: T): Promise<z.output<T>>
  readonly service: string
}

/** `/a/{b}` segments, each URI-encoded. */
export function apiPath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  return strings.reduce(
    (path, part, i) =>
      path + part + (i < values.length ? encodeURIComponent(String(values[i])) : ''),
    '',
  )
}

function excerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim()
  return redact(text.length > 300 ? `${text.slice(0, 300)}…` : text)
}

/**
 * A small JSON REST client on the http adapter: the token in a header (never in a URL, never
 * printed), rate limits honoured (429/503 with `Retry-After`, `X-RateLimit-Remaining: 0` until
 * `X-RateLimit-Reset`), every answer checked against the statuses expected and a zod schema.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  for (const secret of [options.token, options.authorization]) {
    if (secret !== undefined) {
      registerSecret(secret)
    }
  }
  const now = options.now ?? Date.now
  const wait = options.sleep ?? ((ms: number) => sleep(ms))
  const maxRetries = options.maxRetries ?? 3
  let notBefore = 0

  async function call(request: ApiCall): Promise<HttpResponse> {
    const url = new URL(`${options.baseUrl.replace(/\/+$/, '')}${request.path}`)
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) {
        url.searchParams.set(key, String(value))
      }
    }
    const what = `${options.service} ${request.method} ${url.pathname}`
    const headers: Record<string, string> = { accept: 'application/json' }
    if (options.authorization !== undefined) {
      headers.authorization = options.authorization
    }
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json'
    }
    for (let attempt = 0; ; attempt++) {
      const pause = notBefore - now()
      if (pause > 0) {
        await wait(Math.min(pause, MAX_RATE_WAIT_MS))
      }
      let response: HttpResponse
      try {
        response = await httpRequest(url.toString(), {
          method: request.method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          timeoutMs: options.timeoutMs ?? 20_000,
        })
      } catch (error) {
        throw new CcciError('CCCI_API_UNREACHABLE', `${what}: ${redact(httpFailure(error))}`, {
          hint: options.hint,
          cause: error,
        })
      }
      const advice = rateLimitAdvice(response.status, response.headers, attempt, now())
      notBefore = advice.waitMs > 0 ? now() + advice.waitMs : 0
      if (advice.retry) {
        if (attempt >= maxRetries || advice.waitMs > MAX_RATE_WAIT_MS) {
          throw new CcciError(
            'CCCI_API_RATE_LIMITED',
            `${what}: still answering ${response.status} after ${attempt + 1} tries (asked to wait ${Math.round(advice.waitMs / 1000)}s)`,
            { hint: `${options.service} is rate-limiting or unavailable; ${options.hint}` },
          )
        }
        continue
      }
      if (!(request.expect ?? [200]).includes(response.status)) {
        throw new CcciError(
          'CCCI_API_STATUS',
          `${what} answered ${response.status}: ${excerpt(response.body)}`,
          { hint: options.hint },
        )
      }
      return response
    }
  }

  async function json<T extends z.ZodType>(request: ApiCall, schema: T): Promise<z.output<T>> {
    const response = await call(request)
    let data: unknown
    try {
      data = JSON.parse(response.body)
    } catch {
      data = undefined
    }
    const parsed = schema.safeParse(data)
    if (!parsed.success) {
      throw new CcciError(
        'CCCI_API_RESPONSE',
        `${options.service} ${request.method} ${request.path} answered a body cc-ci cannot read: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`)
          .join('; ')}`,
        {
          hint: `check that the URL points at ${options.service}'s API (a proxy or login page answers HTML); ${options.hint}`,
        },
      )
    }
    return parsed.data
  }

  return { call, json, service: options.service }
}
