/**
 * Browser flows (docs/browser-tests.md). The only module that imports `playwright-core` or
 * `@playwright/test`: tier tests import this file.
 *
 * - `withPage(context, fn)`: Debian's Chromium against the deployed app, trusting the host's
 *   certificate by its SPKI pin, screenshot + trace kept and attached on failure, always closed.
 * - `expect`: Playwright's web-first assertions (`await expect(locator).toHaveText(...)`); Vitest's
 *   `expect` stays for plain values.
 * - `runPlaywrightSuite` / `suiteFailure`: a recipe repo's own `*.spec.ts` suite under
 *   `playwright test` (generic/custom/playwright-suite.test.ts).
 */
import { createRequire } from 'node:module'
import type * as PlaywrightTest from '@playwright/test'
import type { Expect } from '@playwright/test'

export type { BrowserContext, Locator, Page } from 'playwright-core'
export {
  browserProcesses,
  chromiumArgs,
  CHROMIUM_PATH,
  launchBrowser,
  requireChromium,
  type BrowserSession,
  type BrowserTarget,
} from './chromium.ts'
export { withPage, type BrowserArtifact, type PageOptions } from './page.ts'
export {
  findSpecFiles,
  runPlaywrightSuite,
  suiteFailure,
  type SpecOutcome,
  type SpecStatus,
  type SuiteOptions,
  type SuiteResult,
} from './playwright-suite.ts'
export { appTarget, spkiHash, verifiedServerSpki } from './trust.ts'

type WebExpect = Expect<object>

let loaded: WebExpect | undefined

/** Playwright's test library, loaded on first use (it costs a second to import). */
function playwrightExpect(): WebExpect {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url)
    const { expect } = require('@playwright/test') as typeof PlaywrightTest
    loaded = expect.configure({ timeout: 15_000 })
  }
  return loaded
}

/**
 * Playwright's `expect`, for web-first assertions that retry until they hold or 15 s pass
 * (`await expect(page.getByRole('heading')).toHaveText('Hello')`). Playwright loads on its first
 * call, so tier files that never open a browser do not pay for it.
 */
export const expect: WebExpect = new Proxy(function webExpect() {} as unknown as WebExpect, {
  apply: (_target, _this, args: unknown[]) =>
    (playwrightExpect() as (...a: unknown[]) => unknown)(...args),
  get: (_target, property) => Reflect.get(playwrightExpect(), property) as unknown,
})
