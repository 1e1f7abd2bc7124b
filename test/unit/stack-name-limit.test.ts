/**
 * abra truncates a stack name longer than 45 characters (`MAX_SANITISED_APP_NAME_LENGTH` in
 * abra's config, `App.StackName()`): cc-ci refuses such a domain (issue 12, point 7).
 */
import { describe, expect, test } from 'vitest'
import { checkStackNameLength, MAX_STACK_NAME } from '../../harness/coop/stack-name-limit.ts'
import { runDomain, stackName } from '../../harness/run/domain.ts'
import { thrown } from '../support/env-samples.ts'

describe('stack names abra would truncate are refused', () => {
  test('45 characters pass, 46 are refused with the suffix length that would fit', () => {
    expect(MAX_STACK_NAME).toBe(45)
    const fits = `abcd-0a1b2c.${'x'.repeat(33)}`
    expect(stackName(fits)).toHaveLength(45)
    expect(() => checkStackNameLength(fits)).not.toThrow()
    const long = `abcd-0a1b2c.${'x'.repeat(30)}.dev`
    expect(stackName(long)).toHaveLength(46)
    const error = thrown(() => checkStackNameLength(long))
    expect(error).toMatchObject({ code: 'CCCI_STACK_NAME_LENGTH' })
    expect((error as Error).message).toBe(
      `the stack name of ${long} is 46 characters; abra truncates stack names past 45, so its names and cc-ci's would diverge`,
    )
    expect((error as { hint?: string }).hint).toContain('it may have at most 33 characters')
  })

  test('run domains with the default suffix fit', () => {
    const domain = runDomain('a-very-long-recipe-name', '123', 'refs/heads/main', 'ccci.localhost')
    expect(() => checkStackNameLength(domain)).not.toThrow()
  })
})
