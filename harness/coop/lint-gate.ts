import type { LintResult } from '../driver/app-driver.ts'
import { CcciError } from '../errors.ts'
import { LINT_RULES } from './lint.ts'

/**
 * abra refuses to deploy a recipe that fails an error-level lint rule: so does cc-ci, before
 * deploying, naming each failed rule, what it checks and how to resolve it. Warnings and rules
 * that could not be checked never stop a deploy.
 */
export function lintRefusal(lint: LintResult | undefined): CcciError | undefined {
  const failed = (lint?.rules ?? []).filter(
    (r) => r.level === 'error' && !r.satisfied && !r.skipped,
  )
  if (failed.length === 0) {
    return undefined
  }
  const lines = failed.map((rule) => {
    const resolve = LINT_RULES.find((spec) => spec.ref === rule.ref)?.resolve
    return `  ${rule.ref} ${rule.description}${resolve === undefined ? '' : ` (to resolve: ${resolve})`}`
  })
  return new CcciError(
    'CCCI_LINT_ERROR',
    `the recipe fails ${failed.length === 1 ? 'an error-level lint rule' : `${failed.length} error-level lint rules`}, so abra would refuse to deploy it:\n${lines.join('\n')}`,
    {
      hint: 'fix the rule(s) above in the recipe (`abra recipe lint <recipe>` shows the same table); nothing was deployed',
    },
  )
}

/** Throws the refusal, if any (install calls it before its deploy). */
export function refuseFailedLint(lint: LintResult | undefined): void {
  const refusal = lintRefusal(lint)
  if (refusal !== undefined) {
    throw refusal
  }
}
