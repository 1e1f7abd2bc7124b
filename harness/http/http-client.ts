import { lookup as dnsLookup, type LookupAddress, type LookupOneOptions } from 'node:dns'
import type { Dispatcher } from 'undici'
import { CcciError } from '../errors.ts'

export interface HttpOptions {
  /** PEM of the CA to trust (the local host's CA); otherwise the system store. */
  ca?: string
  /** Hosts under this suffix resolve to 127.0.0.1 (the local proxy), like `curl --resolve`. */
  loopbackSuffix?: string
  timeoutMs?: number
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  headers?: Record<string, string>
  body?: string
  followRedirects?: boolean
}

export interface HttpResponse {
  url: string
  status: number
  headers: Record<string, string>
  body: string
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void

function lookupVia(suffix: string | undefined) {
  return (hostname: string, options: LookupOneOptions, callback: LookupCallback): void => {
    if (suffix !== undefined && (hostname === suffix || hostname.endsWith(`.${suffix}`))) {
      const all = (options as { all?: boolean }).all === true
      if (all) {
        callback(null, [{ address: '127.0.0.1', family: 4 }])
      } else {
        callback(null, '127.0.0.1', 4)
      }
      return
    }
    dnsLookup(hostname, options, callback as never)
  }
}

/** Redirects followed at most, with `followRedirects`. */
export const MAX_REDIRECTS = 5

/**
 * One HTTP(S) request with a hard deadline; the connection pool lives only for this call.
 * `followRedirects` uses undici's redirect interceptor, which behaves like a browser: a redirect
 * to another origin drops `Authorization`, `Cookie` and `Proxy-Authorization`; a 303 (and a 301 or
 * 302 after a POST) continues as GET without the body; 307 and 308 keep method and body.
 */
export async function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  const timeoutMs = options.timeoutMs ?? 10_000
  // Loaded on first use: every tier worker loads the harness, not every tier makes a request.
  const { Agent, errors, interceptors, request } = await import('undici')
  const agent = new Agent({
    connect: {
      ca: options.ca,
      lookup: lookupVia(options.loopbackSuffix) as never,
      timeout: timeoutMs,
    },
  })
  const dispatcher: Dispatcher =
    options.followRedirects === true
      ? agent.compose(
          interceptors.redirect({ maxRedirections: MAX_REDIRECTS, throwOnMaxRedirect: true }),
        )
      : agent
  try {
    const response = await request(url, {
      dispatcher,
      method: options.method ?? 'GET',
      headers: options.headers,
      body: options.body,
      signal: AbortSignal.timeout(timeoutMs),
    })
    const body = await response.body.text()
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.join(', ') : (v ?? ''),
      ]),
    )
    return { url: finalUrl(response.context, url), status: response.statusCode, headers, body }
  } catch (error) {
    if (error instanceof errors.MaxRedirectsError) {
      throw new CcciError(
        'CCCI_HTTP_REDIRECTS',
        `more than ${MAX_REDIRECTS} redirects from ${url}`,
        {
          hint: 'open the URL in a browser or with `curl -L -v` to see where the redirects loop',
          cause: error,
        },
      )
    }
    throw error
  } finally {
    await agent.destroy()
  }
}

/** The URL that answered: the redirect interceptor records every URL requested, the last one last. */
function finalUrl(context: object | undefined, requested: string): string {
  const history = (context as { history?: unknown } | undefined)?.history
  const last: unknown = Array.isArray(history) ? history.at(-1) : undefined
  return last instanceof URL ? last.toString() : requested
}

/** The short reason a request failed (connection refused, TLS, timeout...). */
export function httpFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const code = (error as { code?: string }).code ?? cause?.code
    return [code, cause?.message ?? error.message].filter(Boolean).join(': ')
  }
  return String(error)
}
