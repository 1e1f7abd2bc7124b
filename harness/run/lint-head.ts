import type { AppDriver, AppRef, LintResult } from '../driver/app-driver.ts'
import { describeError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { redact } from '../redaction/redact.ts'

/** What the run keeps of lint: the driver's result, or why it could not lint. */
export type RunLint = LintResult & { error?: string }

/** Setup step "lint": `recipe lint` (or the swarm driver's own checks) on the code under test. */
export async function lintHead(driver: AppDriver, app: AppRef, log: Logger): Promise<RunLint> {
  let lint: RunLint
  try {
    lint = await driver.lint(app)
  } catch (error) {
    lint = { ok: false, rules: [], error: redact(describeError(error)) }
  }
  const failed = lint.rules.filter((r) => r.level === 'error' && !r.satisfied && !r.skipped)
  const warned = lint.rules.filter((r) => r.level === 'warn' && !r.satisfied && !r.skipped)
  log.info(
    `lint: ${lint.ok ? 'pass' : `fail (${failed.map((r) => r.ref).join(', ') || (lint.error ?? '')})`}` +
      (warned.length > 0 ? `; warnings ${warned.map((r) => r.ref).join(', ')}` : ''),
  )
  return lint
}
