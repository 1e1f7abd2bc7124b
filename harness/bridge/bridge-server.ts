import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describeError } from '../errors.ts'
import { serveSiteFile } from '../report/site-file.ts'
import type { BridgeService } from './bridge-service.ts'
import type { JsonLog } from './json-log.ts'
import { MAX_WEBHOOK_BYTES, validSignature, webhookComment } from './webhook-payload.ts'

export interface BridgeServerOptions {
  service: BridgeService
  log: JsonLog
  /** The webhook's HMAC key; undefined: POST /webhook answers 404. */
  webhookSecret: string | undefined
  host: string
  port: number
  /** What GET /health reports besides `ok`. */
  health: () => Record<string, unknown>
  /** The results site (`ccci report`) served read-only on GET for every other path; undefined: none. */
  siteDir?: string | undefined
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(`${JSON.stringify(body)}\n`)
}

/** The body, or undefined once it passes `limit` bytes (the connection is then closed). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? '0')
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.resolve(undefined)
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.removeAllListeners('data')
        resolve(undefined)
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/**
 * The bridge's HTTP side: `GET /health`, when a secret is configured `POST /webhook` for Gitea's
 * webhook, and the results site (docs/results-site.md) on every other GET. A webhook is handled
 * only with a valid `X-Gitea-Signature`; the comment goes through the same claim as the poller's.
 */
export async function startBridgeServer(options: BridgeServerOptions): Promise<{
  server: Server
  url: string
  close: () => Promise<void>
}> {
  const { service, log, webhookSecret } = options
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method === 'GET' && path === '/health') {
      reply(res, 200, { ok: true, ...options.health() })
      return
    }
    if (req.method === 'POST' && path === '/webhook' && webhookSecret !== undefined) {
      void handleWebhook(req, res, webhookSecret)
      return
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && options.siteDir !== undefined) {
      serveSiteFile(options.siteDir, path ?? '/', res, req.method === 'HEAD')
      return
    }
    reply(res, 404, { error: 'not found' })
  })

  async function handleWebhook(req: IncomingMessage, res: ServerResponse, secret: string) {
    try {
      const body = await readBody(req, MAX_WEBHOOK_BYTES)
      if (body === undefined) {
        log('warn', 'webhook.too-large', { limit: MAX_WEBHOOK_BYTES })
        res.setHeader('connection', 'close')
        reply(res, 413, { error: 'payload too large' })
        return
      }
      const signature = req.headers['x-gitea-signature']
      if (!validSignature(body, typeof signature === 'string' ? signature : undefined, secret)) {
        log('warn', 'webhook.bad-signature', { remote: req.socket.remoteAddress })
        reply(res, 401, { error: 'bad signature' })
        return
      }
      const event = req.headers['x-gitea-event-type'] ?? req.headers['x-gitea-event']
      const comment = webhookComment(
        typeof event === 'string' ? event : undefined,
        body.toString('utf8'),
      )
      if (comment === undefined) {
        reply(res, 202, { handled: false })
        return
      }
      const entry = service.recipeOf(comment.repo)
      if (entry === undefined) {
        reply(res, 202, { handled: false, reason: 'repository not enrolled' })
        return
      }
      // The claim happens synchronously inside handleComment: answer, then finish in the background.
      const outcome = service.handleComment({ ...comment, repo: entry.repo }, 'webhook')
      reply(res, 202, { handled: true })
      const result = await outcome
      log('info', 'webhook.comment', {
        repo: comment.repo,
        pr: comment.pr,
        comment: comment.commentId,
        outcome: result,
      })
    } catch (error) {
      log('error', 'webhook.failed', { error: describeError(error) })
      if (!res.headersSent) {
        reply(res, 500, { error: 'internal error' })
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
