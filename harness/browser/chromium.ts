import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { CcciError, describeError } from '../errors.ts'
import { CHROMIUM_PATH, requireChromium } from './chromium-path.ts'

export { CHROMIUM_PATH, requireChromium } from './chromium-path.ts'

/** Where the browser goes and which certificates it accepts. */
export interface BrowserTarget {
  /** The app's URL; relative `page.goto('/path')` calls resolve against it. */
  baseURL: string
  /** Hosts under this suffix resolve to 127.0.0.1 (the local proxy); undefined: real DNS. */
  loopbackSuffix: string | undefined
  /**
   * Base64 SHA-256 hashes of public keys (SPKI) whose certificates Chromium accepts although no
   * system CA signed them: the local host's wildcard certificate. Empty: the system's trust only.
   */
  trustedSpki: string[]
}

/** Chromium's command line for a target: headless, quiet, pinned trust, loopback resolution. */
export function chromiumArgs(
  target: Pick<BrowserTarget, 'loopbackSuffix' | 'trustedSpki'>,
): string[] {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ]
  if (target.trustedSpki.length > 0) {
    args.push(`--ignore-certificate-errors-spki-list=${target.trustedSpki.join(',')}`)
  }
  const suffix = target.loopbackSuffix
  if (suffix !== undefined) {
    args.push(`--host-resolver-rules=MAP *.${suffix} 127.0.0.1, MAP ${suffix} 127.0.0.1`)
  }
  return args
}

/** A running Chromium with one page; `close()` is idempotent and never throws. */
export interface BrowserSession {
  context: BrowserContext
  page: Page
  /** The fresh profile folder of this browser (removed by `close()`). */
  userDataDir: string
  close: () => Promise<void>
}

/** Deadlines of browser actions: nothing in a browser flow may hang a run. */
const ACTION_TIMEOUT_MS = 30_000
const NAVIGATION_TIMEOUT_MS = 60_000
const CLOSE_TIMEOUT_MS = 20_000

/**
 * Launches Debian's Chromium with a fresh temporary profile and opens one page. The profile
 * folder also identifies the browser's processes, so `close()` can prove none is left.
 */
export async function launchBrowser(
  target: BrowserTarget,
  executablePath: string = CHROMIUM_PATH,
): Promise<BrowserSession> {
  requireChromium(executablePath)
  const userDataDir = mkdtempSync(join(tmpdir(), 'ccci-chromium-'))
  let context: BrowserContext
  try {
    // Loaded when a browser is launched, not with every tier file that imports the harness.
    const { chromium } = await import('playwright-core')
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      args: chromiumArgs(target),
      headless: true,
      baseURL: target.baseURL,
      timeout: 60_000,
    })
  } catch (error) {
    killBrowserProcesses(userDataDir)
    rmSync(userDataDir, { recursive: true, force: true })
    throw new CcciError(
      'CCCI_BROWSER_LAUNCH',
      `could not start Chromium: ${describeError(error)}`,
      {
        hint: `${executablePath} is there but did not start; run it by hand (\`${executablePath} --headless --no-sandbox --version\`) to see why, or reinstall it (\`apt-get install --reinstall chromium\`)`,
        cause: error,
      },
    )
  }
  context.setDefaultTimeout(ACTION_TIMEOUT_MS)
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS)
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await Promise.race([
        context.close().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref()),
      ])
      killBrowserProcesses(userDataDir)
      rmSync(userDataDir, { recursive: true, force: true })
    })()
    return closing
  }
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    return { context, page, userDataDir, close }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * Process ids of the Chromium processes using a profile folder: the browser, its zygotes, GPU,
 * utility and renderer processes all carry `--user-data-dir=<folder>`. Linux only: reads /proc.
 */
export function browserProcesses(userDataDir: string): number[] {
  const marker = `--user-data-dir=${userDataDir}`
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue
    }
    try {
      // Child processes rewrite their title into one space-separated string.
      const cmdline = `${readFileSync(join('/proc', entry, 'cmdline'), 'utf8')}\0`
      if (cmdline.includes(`${marker}\0`) || cmdline.includes(`${marker} `)) {
        pids.push(Number(entry))
      }
    } catch {
      // the process ended while we looked
    }
  }
  return pids
}

function killBrowserProcesses(userDataDir: string): void {
  for (const pid of browserProcesses(userDataDir)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}
