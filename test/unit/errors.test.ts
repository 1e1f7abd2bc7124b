import { describe, expect, test } from 'vitest'
import { CcciError, describeError, tail } from '../../harness/errors.ts'

describe('CcciError', () => {
  test('report ends with what to do next and keeps the evidence', () => {
    const error = new CcciError('CCCI_NOT_CONVERGED', 'deploy failed', {
      hint: 'check the image name',
      evidence: [{ label: 'task error', text: 'No such image: nope:1\n' }],
    })
    expect(error.report()).toBe(
      'deploy failed [CCCI_NOT_CONVERGED]\n--- task error ---\nNo such image: nope:1\nWhat to do: check the image name',
    )
    expect(describeError(error)).toBe(error.report())
  })

  test('tail keeps the last non-empty lines', () => {
    expect(tail('a\n\nb\nc\n', 2)).toBe('b\nc')
  })
})
