import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request a fake server received (for assertions). */
export interface Received {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
}

export interface FakeReply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export type FakeHandler = (request: Received) => FakeReply

/** A small node:http server on 127.0.0.1 around one request handler; JSON in, JSON out. */
export async function startFake(
  handler: FakeHandler,
): Promise<{ url: string; requests: Received[]; close: () => Promise<void>; server: Server }> {
  const requests: Received[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const received: Received = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(received)
      let reply: FakeReply
      try {
        reply = handler(received)
      } catch (error) {
        reply = { status: 500, body: { message: String(error) } }
      }
      const headers = { ...reply.headers }
      if (reply.body !== undefined) {
        headers['content-type'] = 'application/json;charset=utf-8'
      }
      res.writeHead(reply.status, headers)
      res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A fake server object: `start()` listens on a free port of 127.0.0.1, `close()` stops it. */
export abstract class FakeServer {
  url = ''
  requests: Received[] = []
  #close: (() => Promise<void>) | undefined

  protected abstract handle(request: Received): FakeReply

  async start(): Promise<this> {
    const fake = await startFake((r) => this.handle(r))
    this.url = fake.url
    this.requests = fake.requests
    this.#close = fake.close
    return this
  }

  async close(): Promise<void> {
    await this.#close?.()
  }
}
