import { lookup as dnsLookup, type LookupAddress, type LookupOneOptions } from 'node:dns'
import { Agent, request } from 'undici'
import { CcciError } from '../errors.ts'

export interface HttpOptions {
  /** PEM of the CA to trust (the local host's CA); otherwise the system store. */
  ca?: string
  /** Hosts under this suffix resolve to 127.0.0.1 (the local proxy), like `curl --resolve`. */
  loopbackSuffix?: string
  timeoutMs?: number
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE'
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

/** One HTTP(S) request with a hard deadline; the connection pool lives only for this call. */
export async function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  const timeoutMs = options.timeoutMs ?? 10_000
  const agent = new Agent({
    connect: {
      ca: options.ca,
      lookup: lookupVia(options.loopbackSuffix) as never,
      timeout: timeoutMs,
    },
  })
  try {
    let current = url
    for (let hop = 0; hop < 6; hop++) {
      const response = await request(current, {
        dispatcher: agent,
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
      const location = headers.location
      if (
        options.followRedirects === true &&
        response.statusCode >= 300 &&
        response.statusCode < 400 &&
        location
      ) {
        current = new URL(location, current).toString()
        continue
      }
      return { url: current, status: response.statusCode, headers, body }
    }
    throw new CcciError('CCCI_HTTP_REDIRECTS', `too many redirects from ${url}`)
  } finally {
    await agent.destroy()
  }
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
