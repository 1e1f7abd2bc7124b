import { CcciError } from '../errors.ts'

/**
 * abra keeps at most this many characters of a stack name (`MAX_SANITISED_APP_NAME_LENGTH` in
 * abra's config; `App.StackName()` truncates a longer sanitised name). cc-ci names every object
 * `<domain with dots as underscores>`, so a longer name would diverge from abra's.
 */
export const MAX_STACK_NAME = 45

/**
 * Refuses a domain whose stack name (dots as underscores, as abra's `SanitiseAppName`) is longer
 * than abra keeps: abra would deploy it under a truncated name cc-ci does not know, so its
 * services, volumes and secrets would never be found, checked or removed. Throws
 * `CCCI_STACK_NAME_LENGTH`.
 */
export function checkStackNameLength(domain: string): void {
  const stack = domain.replaceAll('.', '_')
  const label = domain.split('.')[0] ?? ''
  if (stack.length <= MAX_STACK_NAME) {
    return
  }
  throw new CcciError(
    'CCCI_STACK_NAME_LENGTH',
    `the stack name of ${domain} is ${stack.length} characters; abra truncates stack names past ${MAX_STACK_NAME}, so its names and cc-ci's would diverge`,
    {
      hint: `shorten CCCI_DOMAIN_SUFFIX: after "${label}." it may have at most ${MAX_STACK_NAME - label.length - 1} characters (run domains are <4 letters>-<6 hex>.<suffix>)`,
    },
  )
}
