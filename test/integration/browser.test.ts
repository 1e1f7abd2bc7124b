import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  browserProcesses,
  expect as pageExpect,
  runPlaywrightSuite,
  spkiHash,
  suiteFailure,
  verifiedServerSpki,
  withPage,
  type BrowserTarget,
} from '../../harness/browser/index.ts'
import { loadSettings } from '../../harness/config/settings.ts'
import { CcciError } from '../../harness/errors.ts'
import { tlsPaths } from '../../harness/host/tls.ts'
import { runCommand } from '../../harness/process/index.ts'
import { REPO_ROOT } from '../support/fixtures.ts'

// Real Chromium against real HTTPS: Node serves a two-page site with the local host's wildcard
// certificate (the one the local proxy serves) on 127.0.0.1, and a twin with a self-signed one.

const tls = tlsPaths(loadSettings().home)
const work = mkdtempSync(join(tmpdir(), 'ccci-browser-test-'))
const PAGES: Record<string, string> = {
  '/': '<!doctype html><title>cc-ci browser test</title><h1>Hello browser</h1><a href="/next">next</a>',
  '/next': '<!doctype html><title>next</title><h1>Next page</h1>',
}
const servers: Server[] = []

async function serve(cert: string, key: string): Promise<number> {
  const server = createServer({ cert, key }, (request, response) => {
    const page = PAGES[request.url ?? '']
    response.writeHead(page === undefined ? 404 : 200, { 'content-type': 'text/html' })
    response.end(page ?? 'not found')
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

let trusted: BrowserTarget
let untrustedURL = ''

beforeAll(async () => {
  const port = await serve(readFileSync(tls.certFile, 'utf8'), readFileSync(tls.keyFile, 'utf8'))
  trusted = {
    baseURL: `https://x.${tls.suffix}:${port}/`,
    loopbackSuffix: tls.suffix,
    trustedSpki: [spkiHash(readFileSync(tls.certFile))],
  }
  // Same names, same page, but a key nobody pinned and no CA of ours signed.
  await runCommand(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=*.${tls.suffix}`,
      '-addext',
      `subjectAltName=DNS:*.${tls.suffix}`,
      '-keyout',
      join(work, 'self-key.pem'),
      '-out',
      join(work, 'self.pem'),
    ],
    { timeoutMs: 30_000 },
  )
  const selfPort = await serve(
    readFileSync(join(work, 'self.pem'), 'utf8'),
    readFileSync(join(work, 'self-key.pem'), 'utf8'),
  )
  untrustedURL = `https://x.${tls.suffix}:${selfPort}/`
})

afterAll(async () => {
  await Promise.all(
    servers.map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())),
  )
  rmSync(work, { recursive: true, force: true })
})

/** Profiles of the Chromium browsers this test process started and that are still running. */
function ownBrowserProfiles(): string[] {
  const profiles: string[] = []
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const ppid = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      const profile = argv.find((a) => a.startsWith('--user-data-dir='))
      if (ppid === String(process.pid) && profile !== undefined) {
        profiles.push(profile.slice('--user-data-dir='.length))
      }
    } catch {
      // the process ended while we looked
    }
  }
  return profiles
}

describe('withPage', () => {
  test('opens the app over verified HTTPS and follows a link', async (context) => {
    let profile = ''
    await withPage(
      context,
      async (page) => {
        const response = await page.goto('/')
        expect(response?.status()).toBe(200)
        await pageExpect(page.getByRole('heading', { level: 1 })).toHaveText('Hello browser')
        await page.getByRole('link', { name: 'next' }).click()
        await pageExpect(page).toHaveURL(`${trusted.baseURL}next`)
        await pageExpect(page.getByRole('heading', { level: 1 })).toHaveText('Next page')
        const profiles = ownBrowserProfiles()
        expect(profiles).toHaveLength(1)
        profile = profiles[0] ?? ''
      },
      { target: trusted, artifactsDir: join(work, 'ok-artifacts') },
    )
    expect(browserProcesses(profile), 'Chromium processes left behind').toEqual([])
    expect(existsSync(profile), 'the temporary profile is removed').toBe(false)
    expect(existsSync(join(work, 'ok-artifacts')), 'nothing is kept when the flow passes').toBe(
      false,
    )
  })

  test('refuses a certificate whose key is not pinned', async (context) => {
    await withPage(
      context,
      async (page) => {
        await expect(page.goto('/')).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/)
      },
      { target: { ...trusted, baseURL: untrustedURL }, artifactsDir: join(work, 'refused') },
    )
  })

  test('without the pin the host certificate is not trusted either', async (context) => {
    await withPage(
      context,
      async (page) => {
        await expect(page.goto('/')).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/)
      },
      { target: { ...trusted, trustedSpki: [] }, artifactsDir: join(work, 'unpinned') },
    )
  })

  test('maps hosts under the loopback suffix to 127.0.0.1, and only with the rule', async (context) => {
    const port = new URL(trusted.baseURL).port
    const mapped = { ...trusted, loopbackSuffix: 'browser-test.example' }
    mapped.baseURL = `https://app.browser-test.example:${port}/`
    await withPage(
      context,
      async (page) => {
        await page.goto('/')
        await pageExpect(page.getByRole('heading', { level: 1 })).toHaveText('Hello browser')
      },
      { target: mapped, artifactsDir: join(work, 'mapped') },
    )
    await withPage(
      context,
      async (page) => {
        await expect(page.goto('/')).rejects.toThrow(/ERR_NAME_NOT_RESOLVED/)
      },
      { target: { ...mapped, loopbackSuffix: undefined }, artifactsDir: join(work, 'unmapped') },
    )
  })

  test('keeps a screenshot and a trace of a failed flow, attaches them, and closes Chromium', async (context) => {
    const artifactsDir = join(work, 'failed')
    const before = ownBrowserProfiles()
    let profile = ''
    const error: unknown = await withPage(
      context,
      async (page) => {
        profile = ownBrowserProfiles().find((p) => !before.includes(p)) ?? ''
        await page.goto('/')
        await pageExpect(page.getByRole('heading', { level: 1 })).toHaveText('Goodbye browser', {
          timeout: 1_000,
        })
      },
      { target: trusted, artifactsDir },
    ).catch((e: unknown) => e)

    expect(String(error)).toContain('Goodbye browser')
    const files = readdirSync(artifactsDir).sort()
    expect(files).toEqual([
      expect.stringMatching(/^browser\.test\.ts-withPage-keeps-a-screenshot.*\.png$/),
      expect.stringMatching(/^browser\.test\.ts-withPage-keeps-a-screenshot.*\.zip$/),
    ])
    const [png, zip] = files.map((f) => readFileSync(join(artifactsDir, f)))
    expect(png?.subarray(1, 4).toString('latin1'), 'a PNG image').toBe('PNG')
    expect(zip?.subarray(0, 2).toString('latin1'), 'a zip archive').toBe('PK')
    expect(zip?.includes('trace.trace'), 'a Playwright trace').toBe(true)

    const annotations = context.task.annotations.map((a) => [a.type, a.message])
    expect(annotations).toEqual([
      ['browser-screenshot', `screenshot: ${join(artifactsDir, files[0] ?? '')}`],
      ['browser-trace', `trace: ${join(artifactsDir, files[1] ?? '')}`],
    ])
    expect(profile).not.toBe('')
    expect(browserProcesses(profile), 'Chromium processes left behind').toEqual([])
    expect(ownBrowserProfiles()).toEqual([])
  })
})

describe('verifiedServerSpki', () => {
  test('pins the served certificate once Node verified it against the CA', async () => {
    const ca = readFileSync(tls.caFile, 'utf8')
    expect(await verifiedServerSpki(trusted.baseURL, ca, tls.suffix)).toBe(trusted.trustedSpki[0])
    const refused = await verifiedServerSpki(untrustedURL, ca, tls.suffix).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(CcciError)
    expect((refused as CcciError).code).toBe('CCCI_BROWSER_TRUST')
  })
})

describe('runPlaywrightSuite', () => {
  const fixtures = join(REPO_ROOT, 'test', 'fixtures', 'playwright')

  test('passes a passing suite and writes its JSON report', async () => {
    const outputDir = join(work, 'suite-passing')
    const result = await runPlaywrightSuite({
      testDir: join(fixtures, 'passing'),
      target: trusted,
      outputDir,
      timeoutMs: 150_000,
    })
    expect(suiteFailure(result)?.message).toBeUndefined()
    expect(result.specs).toEqual([
      {
        name: 'playwright/home.spec.ts:6 › the home page › greets the visitor',
        status: 'passed',
        errors: [],
      },
      {
        name: 'playwright/home.spec.ts:11 › the home page › links to the next page',
        status: 'passed',
        errors: [],
      },
      { name: 'playwright/home.spec.ts:18 › BASE_URL names the app', status: 'passed', errors: [] },
    ])
    expect(result.reportFile).toBe(join(outputDir, 'report.json'))
    expect(existsSync(result.reportFile)).toBe(true)
  })

  test('fails a failing suite with the failing test’s name and error', async () => {
    const outputDir = join(work, 'suite-failing')
    const result = await runPlaywrightSuite({
      testDir: join(fixtures, 'failing'),
      target: trusted,
      outputDir,
      timeoutMs: 150_000,
    })
    expect(result.exitCode).not.toBe(0)
    expect(result.specs.map((s) => [s.name, s.status])).toEqual([
      ['greeting.spec.ts:4 › the greeting says hello', 'passed'],
      ['greeting.spec.ts:9 › the greeting says goodbye', 'failed'],
    ])
    const message = suiteFailure(result)?.message ?? ''
    expect(message).toContain('1 of 2 tests failed')
    expect(message).toContain('✘ greeting.spec.ts:9 › the greeting says goodbye')
    expect(message).toMatch(/Expected: "Goodbye browser"\s+Received: "Hello browser"/)
    expect(message).not.toContain('says hello')
    expect(message, 'locations point at the specs, not a temporary copy').toContain(
      `${join(fixtures, 'failing', 'greeting.spec.ts')}:11:`,
    )
    expect(message).not.toContain('ccci-playwright-')
    expect(message).toContain(`report: ${join(outputDir, 'report.json')}`)
    const traces = readdirSync(join(outputDir, 'test-results'), { recursive: true }).map(String)
    expect(traces.filter((f) => f.endsWith('trace.zip'))).toHaveLength(1)
  })
})
