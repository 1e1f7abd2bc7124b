import { existsSync, mkdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { TestContext } from 'vitest'
import type { Page } from 'playwright-core'
import { describeError } from '../errors.ts'
import { createLogger } from '../log.ts'
import { runContext } from '../vitest/context.ts'
import { launchBrowser, type BrowserSession, type BrowserTarget } from './chromium.ts'
import { appTarget } from './trust.ts'

export interface PageOptions {
  /** Where the page goes and what it trusts; default: the deployed app of this run. */
  target?: BrowserTarget
  /** Where failure artifacts are kept; default: `<run resultsDir>/browser`. */
  artifactsDir?: string
}

/** A file kept when a browser flow failed. */
export interface BrowserArtifact {
  kind: 'screenshot' | 'trace'
  path: string
}

/**
 * Runs a browser flow: launches Debian's Chromium, gives `fn` a page whose relative URLs resolve
 * against the app, and always closes the browser. When `fn` throws, a full-page screenshot and a
 * Playwright trace are kept (`<artifactsDir>/<file>-<test>.png|.zip`) and attached to the test
 * with `context.annotate` before the error is rethrown.
 *
 * ```ts
 * test('the home page greets', async (context) => {
 *   await withPage(context, async (page) => {
 *     await page.goto('/')
 *     await expect(page.getByRole('heading')).toHaveText('Hello')
 *   })
 * })
 * ```
 */
export async function withPage(
  context: TestContext,
  fn: (page: Page) => Promise<void>,
  options: PageOptions = {},
): Promise<void> {
  const target = options.target ?? (await appTarget())
  const artifactsDir = options.artifactsDir ?? join(runContext().resultsDir, 'browser')
  const session = await launchBrowser(target)
  // A test that times out never returns from `fn`: close the browser when Vitest gives up on it.
  const onAbort = (): void => void session.close()
  context.signal.addEventListener('abort', onAbort, { once: true })
  try {
    await session.context.tracing.start({ screenshots: true, snapshots: true })
    await fn(session.page)
  } catch (error) {
    const kept = await keepArtifacts(session, artifactsDir, artifactName(context))
    for (const artifact of kept) {
      await context
        .annotate(`${artifact.kind}: ${artifact.path}`, `browser-${artifact.kind}`, {
          path: artifact.path,
          contentType: artifact.kind === 'screenshot' ? 'image/png' : 'application/zip',
        })
        .catch(() => undefined)
    }
    throw error
  } finally {
    context.signal.removeEventListener('abort', onAbort)
    await session.close()
  }
}

/** `<test file>-<suites and test name>`, safe as a file name. */
function artifactName(context: TestContext): string {
  const task = context.task
  return `${basename(task.file.name)}-${task.fullTestName}`
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120)
}

/** `<dir>/<name><ext>`, or `<name>-2<ext>`... when a flow of the same test already failed. */
function uniquePath(dir: string, name: string, ext: string): string {
  let path = join(dir, `${name}${ext}`)
  for (let n = 2; existsSync(path); n++) {
    path = join(dir, `${name}-${n}${ext}`)
  }
  return path
}

/** Screenshot and trace of a failed flow; whatever cannot be captured (a crashed page) is logged. */
async function keepArtifacts(
  session: BrowserSession,
  dir: string,
  name: string,
): Promise<BrowserArtifact[]> {
  mkdirSync(dir, { recursive: true })
  const log = createLogger('browser')
  const kept: BrowserArtifact[] = []
  const screenshot = uniquePath(dir, name, '.png')
  try {
    await session.page.screenshot({ path: screenshot, fullPage: true, timeout: 15_000 })
    kept.push({ kind: 'screenshot', path: screenshot })
  } catch (error) {
    log.warn(`no screenshot of the failed flow: ${describeError(error)}`)
  }
  const trace = uniquePath(dir, name, '.zip')
  try {
    await session.context.tracing.stop({ path: trace })
    kept.push({ kind: 'trace', path: trace })
  } catch (error) {
    log.warn(`no trace of the failed flow: ${describeError(error)}`)
  }
  return kept
}
