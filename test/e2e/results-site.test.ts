import { randomBytes } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  expect as pageExpect,
  launchBrowser,
  type BrowserSession,
} from '../../harness/browser/index.ts'
import { loadSettings } from '../../harness/config/settings.ts'
import { appendHistory, readHistory } from '../../harness/history/history-store.ts'
import { tryCommand } from '../../harness/process/index.ts'
import { serveSiteFile } from '../../harness/report/site-file.ts'
import { failingUpgrade } from '../support/failing-upgrade.ts'
import { fixtureRepos, REPO_ROOT } from '../support/fixtures.ts'
import { historyRecord } from '../support/history-records.ts'
import { finishRun, startRun, type RunOutcome } from '../support/run-recipe.ts'

/**
 * The results site of real runs, in a real browser: two runs of the fixture tiny-html (one green,
 * one whose upgrade fails and leaves a diagnostics bundle) recorded in the run history, plus a
 * hostile record written through the store (HTML in its ref, a canary in its record, summary and
 * diagnostics); the literal `./ccci report --out`; the site served over HTTP by the bridge's own
 * route handler; Chromium follows index → recipe page (chart) → the failing run → its
 * diagnostics → a log; screenshots kept; no page holds a secret.
 */

const settings = loadSettings()
const work = mkdtempSync(join(tmpdir(), 'ccci-results-site-'))
const repos = fixtureRepos()
/** Kept after the test, next to the runs' own results: the screenshots of the site. */
const ARTIFACTS = join(settings.home, 'results', 'results-site-test')
/** Only this test's runs: the real history has everybody's. */
const home = join(work, 'home')
const siteOut = join(work, 'site')
/**
 * A secret-named env value of the failing app, which it prints in its log before it fails: cc-ci
 * did not generate it, but its key name makes the run redact it (harness/run/run-secrets.ts
 * `recordEnvSecrets`), in the bundle, summary.md, result.json and so in every page.
 */
const ENV_CANARY = `canary-${randomBytes(8).toString('hex')}`
/** A secret `ccci report` knows (a bridge token): in a record, a summary and a diagnostics file. */
const REPORT_CANARY = `canary-${randomBytes(8).toString('hex')}`
const XSS = '<script>document.title="pwned"</script><img src=x onerror="document.title=1">'
const tokenOut = join(work, 'token')
let server: Server | undefined
let browser: BrowserSession | undefined

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) =>
    server === undefined ? resolve(undefined) : server.close(resolve),
  )
  repos.cleanup()
  rmSync(work, { recursive: true, force: true })
})

/** Every file of the generated site with its text. */
function siteTexts(): [string, string][] {
  return readdirSync(siteOut, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => [join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name), 'utf8')])
}

describe('the results site of real runs, in Chromium', () => {
  let green: RunOutcome
  let failing: RunOutcome
  let report: { exitCode: number; stdout: string; stderr: string }
  let baseURL = ''

  beforeAll(async () => {
    const { src: brokenSrc, recipeDirs } = await failingUpgrade(repos, work, {
      message: 'a release that cannot start',
      script: 'echo starting with $$API_TOKEN, then failing on purpose >&2; exit 3',
      canary: ENV_CANARY,
      tokenOut,
    })
    const plain = (await repos.make('tiny-html')).path
    ;[green, failing] = await Promise.all([
      finishRun(startRun({ projects: ['tiny-html (install)'], src: plain })),
      finishRun(
        startRun({
          projects: ['tiny-html (install)', 'tiny-html (upgrade)'],
          src: brokenSrc,
          recipeDirs,
          env: { CCCI_DIAGNOSTICS: undefined },
        }),
      ),
    ])

    // The two runs' own history lines, as their teardowns wrote them, copied into a home of this
    // test's own through the store; and a hostile record with a real results folder.
    const ours = new Set([green.result?.runId, failing.result?.runId])
    for (const record of readHistory(settings.home, 'tiny-html')) {
      if (ours.has(record.runId)) {
        appendHistory(home, record)
      }
    }
    const hostileResults = join(work, 'hostile-results')
    mkdirSync(join(hostileResults, 'diagnostics', 'logs'), { recursive: true })
    writeFileSync(
      join(hostileResults, 'summary.md'),
      `### summary\ntoken ${REPORT_CANARY}\n${XSS}\n`,
    )
    writeFileSync(join(hostileResults, 'diagnostics', 'index.md'), `# bundle\n${XSS}\n`)
    writeFileSync(
      join(hostileResults, 'diagnostics', 'logs', 'app.log'),
      `key=${REPORT_CANARY}\n${XSS}\n`,
    )
    appendHistory(
      home,
      historyRecord({
        recipe: 'hostile',
        runId: 'hostile-zzzz-0001',
        ref: XSS,
        triggeredBy: `mallory ${REPORT_CANARY}`,
        resultsDir: hostileResults,
        diagnostics: 'diagnostics',
      }),
    )

    report = await tryCommand('bash', [join(REPO_ROOT, 'ccci'), 'report', '--out', siteOut], {
      cwd: REPO_ROOT,
      timeoutMs: 120_000,
      env: { ...process.env, CCCI_HOME: home, CCCI_DRONE_TOKEN: REPORT_CANARY },
    })

    // The bridge's own route handler, on a plain node:http server.
    server = createServer((req, res) =>
      serveSiteFile(siteOut, (req.url ?? '/').split('?')[0] ?? '/', res, req.method === 'HEAD'),
    )
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    browser = await launchBrowser({ baseURL, loopbackSuffix: undefined, trustedSpki: [] })
    mkdirSync(ARTIFACTS, { recursive: true })
  })

  test('the runs were recorded: one green, one failing with a diagnostics bundle', () => {
    expect(green.result?.ok, green.output).toBe(true)
    expect(failing.result?.ok, failing.output).toBe(false)
    expect(failing.result?.tiers.find((t) => t.tier === 'upgrade')?.status).toBe('fail')
    const records = readHistory(home, 'tiny-html')
    expect(records.map((r) => r.runId).sort()).toEqual(
      [green.result?.runId, failing.result?.runId].sort(),
    )
    expect(records.find((r) => !r.ok)?.diagnostics).toBe('diagnostics')
    expect(report.exitCode, report.stdout + report.stderr).toBe(0)
    expect(report.stdout).toContain(`results site: ${siteOut} (3 run(s),`)
  })

  test('index → recipe page with its chart → the failing run → its diagnostics → a log', async () => {
    const page = browser!.page
    const failingId = failing.result?.runId ?? ''
    await page.goto('/')
    await pageExpect(page.getByRole('heading', { level: 1 })).toHaveText('cc-ci results')
    const badge = page.getByRole('img', { name: /^cc-ci: level \d\/5$/ }).first()
    await pageExpect(badge).toBeVisible()
    expect(await badge.evaluate((img) => Number(Reflect.get(img, 'naturalWidth')))).toBeGreaterThan(
      0,
    )
    await page.screenshot({ path: join(ARTIFACTS, 'index.png'), fullPage: true })

    await page.getByRole('link', { name: 'tiny-html', exact: true }).click()
    await pageExpect(page.getByRole('heading', { level: 1 })).toHaveText('Recipe tiny-html')
    const chart = page.getByRole('img', { name: 'Run duration and level over time: tiny-html' })
    await pageExpect(chart).toBeVisible()
    await pageExpect(chart.locator('rect.bar')).toHaveCount(2)
    await pageExpect(page.locator('tbody tr')).toHaveCount(2)
    await pageExpect(page.locator('tbody')).toContainText(failing.result?.lifecycle ?? '?')
    await page.screenshot({ path: join(ARTIFACTS, 'recipe.png'), fullPage: true })

    await page.locator(`a[href="../../runs/${failingId}/index.html"]`).first().click()
    await pageExpect(page.getByRole('heading', { level: 1 })).toHaveText(`Run ${failingId}`)
    await pageExpect(page.locator('dl')).toContainText('failed, level')
    await page.getByRole('link', { name: 'diagnostics', exact: true }).click()
    await pageExpect(page.getByRole('heading', { level: 1 })).toHaveText(
      `Diagnostics of ${failingId}`,
    )
    await pageExpect(page.locator('pre').first()).toContainText('failing service app')
    await page.screenshot({ path: join(ARTIFACTS, 'diagnostics.png'), fullPage: true })

    await page.getByRole('link', { name: 'logs/app.log' }).click()
    // The app printed its env canary: the page shows where, redacted.
    await pageExpect(page.locator('pre')).toContainText(
      'starting with [REDACTED], then failing on purpose',
    )
    // The bundle's summary link works too: back to the run, its summary page.
    await page.getByRole('link', { name: failingId }).click()
    await page.getByRole('link', { name: 'summary', exact: true }).click()
    await pageExpect(page.locator('pre')).toContainText('Diagnostics: diagnostics/index.md')
  })

  test('HTML in a ref, a summary or a log is shown as text and never runs', async () => {
    const page = browser!.page
    await page.goto('/recipes/hostile/index.html')
    await pageExpect(page.getByText(XSS, { exact: true }).first()).toBeVisible()
    // Neither the <script> nor the onerror ran: they would have changed the title.
    expect(await page.title()).toBe('Recipe hostile · cc-ci')
    await page.goto('/runs/hostile-zzzz-0001/diagnostics/logs/app.log.html')
    await pageExpect(page.locator('pre')).toContainText(XSS)
    await pageExpect(page.locator('pre')).toContainText('key=[REDACTED]')
    expect(await page.title()).toBe('logs/app.log (diagnostics of hostile-zzzz-0001) · cc-ci')
  })

  test('no page holds a secret: the runs’ generated token, the env canary, the report’s canary', () => {
    expect(existsSync(tokenOut), `the preUpgrade hook read the secret\n${failing.output}`).toBe(
      true,
    )
    const token = readFileSync(tokenOut, 'utf8')
    expect(token).toMatch(/^[A-Za-z0-9]{32}$/)
    const texts = siteTexts()
    expect(texts.length).toBeGreaterThan(10)
    const leaks = texts
      .filter(([, t]) => [token, ENV_CANARY, REPORT_CANARY].some((s) => t.includes(s)))
      .map(([file]) => file)
    expect(leaks).toEqual([])
    const redacted = texts.filter(([, t]) => t.includes('[REDACTED]')).map(([f]) => f)
    expect(redacted.some((f) => f.endsWith('hostile/index.html'))).toBe(true)
    expect(redacted.some((f) => f.endsWith('hostile-zzzz-0001/summary.md'))).toBe(true)
    expect(redacted.some((f) => f.endsWith('logs/app.log.html'))).toBe(true)
    expect(readdirSync(ARTIFACTS).sort()).toEqual(['diagnostics.png', 'index.png', 'recipe.png'])
  })
})
