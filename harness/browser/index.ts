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
import { expect as playwrightExpect } from '@playwright/test'

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

/**
 * Playwright's `expect`, for web-first assertions that retry until they hold or 15 s pass
 * (`await expect(page.getByRole('heading')).toHaveText('Hello')`).
 */
export const expect = playwrightExpect.configure({ timeout: 15_000 })
