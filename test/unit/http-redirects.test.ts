import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { httpRequest } from '../../harness/http/index.ts'

/** What the echo endpoint saw. */
interface Seen {
  method: string
  authorization: string | null
  cookie: string | null
  contentType: string | null
  body: string
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = ''
  for await (const chunk of req) {
    body += String(chunk)
  }
  return body
}

/** A server on 127.0.0.1 with a random port: one origin. */
async function serve(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    void readBody(req).then((body) => handler(req, res, body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

function echo(req: IncomingMessage, res: ServerResponse, body: string): void {
  const seen: Seen = {
    method: req.method ?? '',
    authorization: req.headers.authorization ?? null,
    cookie: req.headers.cookie ?? null,
    contentType: req.headers['content-type'] ?? null,
    body,
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seen))
}

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location }).end('moved')
}

describe('httpRequest redirects (two local servers, two origins)', () => {
  let a: { server: Server; origin: string }
  let b: { server: Server; origin: string }

  beforeAll(async () => {
    b = await serve(echo)
    a = await serve((req, res, body) => {
      const url = req.url ?? '/'
      if (url === '/echo') {
        echo(req, res, body)
      } else if (url === '/cross') {
        redirect(res, 302, `${b.origin}/echo`)
      } else if (url === '/same') {
        redirect(res, 302, '/echo')
      } else if (url === '/see-other') {
        redirect(res, 303, '/echo')
      } else if (url === '/temporary') {
        redirect(res, 307, '/echo')
      } else if (url.startsWith('/loop')) {
        redirect(res, 302, `/loop${Number(url.slice(5) || 0) + 1}`)
      } else {
        res.writeHead(404).end()
      }
    })
  })

  afterAll(async () => {
    await Promise.all([a, b].map((s) => new Promise((resolve) => s.server.close(resolve))))
  })

  const secret = { authorization: 'Bearer canary-token', cookie: 'session=canary' }

  test('a cross-origin hop gets neither Authorization nor Cookie', async () => {
    const response = await httpRequest(`${a.origin}/cross`, {
      headers: secret,
      followRedirects: true,
    })
    expect(response.status).toBe(200)
    expect(response.url).toBe(`${b.origin}/echo`)
    const seen = JSON.parse(response.body) as Seen
    expect(seen.authorization).toBeNull()
    expect(seen.cookie).toBeNull()
  })

  test('a same-origin hop keeps them', async () => {
    const response = await httpRequest(`${a.origin}/same`, {
      headers: secret,
      followRedirects: true,
    })
    const seen = JSON.parse(response.body) as Seen
    expect(response.url).toBe(`${a.origin}/echo`)
    expect(seen.authorization).toBe(secret.authorization)
    expect(seen.cookie).toBe(secret.cookie)
  })

  test('303 after a POST continues as GET, without the body or its content headers', async () => {
    const response = await httpRequest(`${a.origin}/see-other`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=x&password=canary',
      followRedirects: true,
    })
    const seen = JSON.parse(response.body) as Seen
    expect(seen).toMatchObject({ method: 'GET', body: '', contentType: null })
  })

  test('307 keeps the method and the body', async () => {
    const response = await httpRequest(`${a.origin}/temporary`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'kept',
      followRedirects: true,
    })
    expect(JSON.parse(response.body)).toMatchObject({ method: 'POST', body: 'kept' })
  })

  test('a redirect loop stops with CCCI_HTTP_REDIRECTS', async () => {
    await expect(httpRequest(`${a.origin}/loop`, { followRedirects: true })).rejects.toMatchObject({
      code: 'CCCI_HTTP_REDIRECTS',
    })
  })

  test('without followRedirects the redirect itself is the answer', async () => {
    const response = await httpRequest(`${a.origin}/cross`, { headers: secret })
    expect(response.status).toBe(302)
    expect(response.headers.location).toBe(`${b.origin}/echo`)
    expect(response.url).toBe(`${a.origin}/cross`)
  })
})
