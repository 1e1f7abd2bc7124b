import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startBridgeServer } from '../../harness/bridge/bridge-server.ts'
import { BridgeService } from '../../harness/bridge/bridge-service.ts'
import { BridgeStore } from '../../harness/bridge/bridge-store.ts'
import { DroneClient } from '../../harness/drone/drone-client.ts'
import { GiteaClient } from '../../harness/forge/gitea-client.ts'
import { sitePathOf } from '../../harness/report/site-file.ts'

// The bridge's read-only route for the results site, over real HTTP: content types, folders,
// and every way out of the site folder refused.

const work = mkdtempSync(join(tmpdir(), 'ccci-site-route-'))
const site = join(work, 'site')
const store = new BridgeStore(join(work, 'bridge.sqlite'))
let server: Awaited<ReturnType<typeof startBridgeServer>>

beforeAll(async () => {
  mkdirSync(join(site, 'badges'), { recursive: true })
  mkdirSync(join(site, 'recipes', 'tiny-html'), { recursive: true })
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>index</title>')
  writeFileSync(join(site, 'recipes', 'tiny-html', 'index.html'), '<!doctype html>recipe')
  writeFileSync(join(site, 'badges', 'tiny-html.svg'), '<svg></svg>')
  writeFileSync(join(work, 'outside.txt'), 'outside the site')
  symlinkSync(join(work, 'outside.txt'), join(site, 'link.txt'))
  const service = new BridgeService({
    // Never called: only GET routes are exercised.
    gitea: new GiteaClient({ url: 'http://127.0.0.1:9', token: 'unused-token' }),
    drone: new DroneClient({ url: 'http://127.0.0.1:9', token: 'unused-token' }),
    store,
    log: () => undefined,
    enrolled: [],
    org: 'coop-cloud',
    allowlist: new Set(),
    droneRepo: 'coop-cloud/cc-ci',
    droneBranch: 'main',
    statusContext: 'cc-ci',
  })
  server = await startBridgeServer({
    service,
    log: () => undefined,
    webhookSecret: undefined,
    host: '127.0.0.1',
    port: 0,
    health: () => ({}),
    siteDir: site,
  })
})

afterAll(async () => {
  await server.close()
  store.close()
  rmSync(work, { recursive: true, force: true })
})

/** A raw request: the path is sent as written (no client-side normalisation of `..`). */
function get(
  path: string,
  method = 'GET',
): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(server.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      )
    })
    req.on('error', reject)
    req.end()
  })
}

test('serves the site with content types; a folder is its index.html', async () => {
  expect(await get('/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' })
  expect((await get('/recipes/tiny-html/')).body).toBe('<!doctype html>recipe')
  expect(await get('/badges/tiny-html.svg')).toMatchObject({ status: 200, type: 'image/svg+xml' })
  expect(await get('/index.html', 'HEAD')).toMatchObject({ status: 200, body: '' })
  expect((await get('/health')).body).toContain('"ok":true')
})

test('refuses paths out of the site, missing files and writes', async () => {
  for (const path of [
    '/../outside.txt',
    '/recipes/../../outside.txt',
    '/%2e%2e/outside.txt',
    '/..%2foutside.txt',
    '/link.txt',
    '/nothing.html',
    '/%ff',
    '/index.html%00',
  ]) {
    const response = await get(path)
    expect(response.status, path).toBe(404)
    expect(response.body, path).not.toContain('outside the site')
  }
  expect((await get('/index.html', 'POST')).status).toBe(404)
  expect((await get('/index.html', 'DELETE')).status).toBe(404)
})

test('the path decision, without a server', () => {
  expect(sitePathOf('/srv/site', '/')).toBe('/srv/site/index.html')
  expect(sitePathOf('/srv/site', '/runs/a/index.html')).toBe('/srv/site/runs/a/index.html')
  expect(sitePathOf('/srv/site', '/runs/a%20b.html')).toBe('/srv/site/runs/a b.html')
  for (const bad of ['/..', '/a/../b', '/%2E%2E/x', '/a//b', '/a\\..\\b', 'relative', '/./a']) {
    expect(sitePathOf('/srv/site', bad), bad).toBeUndefined()
  }
})
