import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { REDACTED, redactDeep, registerSecret } from '../../harness/redaction/redact.ts'

/** Canaries with the characters JSON escapes: a quote, a backslash, a newline, a tab. */
const CANARIES = ['pa"ss"word-canary-1', 'C:\\secret\\canary-2', 'line1\ncanary-3\tend']

describe('redactDeep', () => {
  for (const canary of CANARIES) {
    registerSecret(canary)
  }

  test('secrets JSON would escape are redacted in every string, keys included', () => {
    const value = {
      message: `login failed with ${CANARIES[0]}`,
      nested: [{ path: CANARIES[1] }, `x ${CANARIES[2]} y`],
      [`key ${CANARIES[0]}`]: 1,
      kept: { n: 3, ok: true, none: null, missing: undefined },
    }
    const safe = redactDeep(value)
    const text = JSON.stringify(safe)
    for (const canary of CANARIES) {
      expect(text).not.toContain(canary)
      expect(text).not.toContain(JSON.stringify(canary).slice(1, -1))
    }
    expect(safe.message).toBe(`login failed with ${REDACTED}`)
    expect(safe.nested).toEqual([{ path: REDACTED }, `x ${REDACTED} y`])
    expect(Object.keys(safe)).toContain(`key ${REDACTED}`)
    expect(safe.kept).toEqual({ n: 3, ok: true, none: null, missing: undefined })
  })

  test('a result file written from a redacted value holds no canary in any form', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccci-redact-'))
    try {
      const file = join(dir, 'result.json')
      writeFileSync(file, JSON.stringify(redactDeep({ reason: CANARIES.join(' | ') }), null, 2))
      const text = readFileSync(file, 'utf8')
      for (const canary of CANARIES) {
        expect(text).not.toContain(JSON.stringify(canary).slice(1, -1))
      }
      expect(JSON.parse(text)).toEqual({ reason: [REDACTED, REDACTED, REDACTED].join(' | ') })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
