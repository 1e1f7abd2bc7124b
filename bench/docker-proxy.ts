import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

/** What went through the proxy: when the first Engine request came, and how many there were. */
export interface DockerTraffic {
  /** `performance.now()` of the first byte of the first request; undefined if none came. */
  firstRequestAt: number | undefined
  /** Requests, counted from HTTP request lines (approximate: bodies are not parsed). */
  requests: number
  /** Requests by `METHOD /resource/...`, ids replaced by `:id`. */
  endpoints: Record<string, number>
}

export interface DockerProxy {
  /** The value for DOCKER_HOST: a unix socket forwarding byte for byte to the real engine. */
  dockerHost: string
  traffic: DockerTraffic
  close(): Promise<void>
}

const ENGINE_SOCKET = '/var/run/docker.sock'
const REQUEST_LINE = /(?:^|\r\n)(GET|HEAD|POST|PUT|DELETE) (\/\S*) HTTP\/1\.[01]\r\n/g
const VERBS = /^(json|exec|start|stop|wait|attach|archive|logs|update|create|resize|inspect|kill)$/

/** `/v1.41/containers/abc/exec?x=1` -> `/containers/:id/exec`. */
function endpoint(path: string): string {
  const [resource = '', ...rest] = path
    .replace(/\?.*$/, '')
    .replace(/^\/v[\d.]+/, '')
    .split('/')
    .filter(Boolean)
  return ['', resource, ...rest.map((s) => (VERBS.test(s) ? s : ':id'))].join('/')
}

/**
 * A tiny unix-socket proxy in front of the Docker Engine: a measured process gets DOCKER_HOST
 * pointing here, and the proxy timestamps its requests. Bytes are piped unchanged both ways
 * (half-close kept), so hijacked streams (exec, attach) work as they do on the real socket.
 */
export async function startDockerProxy(engineSocket = ENGINE_SOCKET): Promise<DockerProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'ccci-bench-proxy-'))
  const path = join(dir, 'docker.sock')
  const traffic: DockerTraffic = {
    firstRequestAt: undefined,
    requests: 0,
    endpoints: {},
  }
  const sockets = new Set<Socket>()
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const engine = createConnection({ path: engineSocket, allowHalfOpen: true })
    for (const socket of [client, engine]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        engine.destroy()
      })
    }
    client.on('data', (chunk: Buffer) => {
      traffic.firstRequestAt ??= performance.now()
      for (const match of chunk.toString('latin1').matchAll(REQUEST_LINE)) {
        traffic.requests += 1
        const key = `${match[1] ?? ''} ${endpoint(match[2] ?? '')}`
        traffic.endpoints[key] = (traffic.endpoints[key] ?? 0) + 1
      }
    })
    client.pipe(engine)
    engine.pipe(client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, resolve)
  })
  return {
    dockerHost: `unix://${path}`,
    traffic,
    close: async () => {
      for (const socket of sockets) {
        socket.destroy()
      }
      await new Promise<void>((resolve) => server.close(() => resolve()))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
