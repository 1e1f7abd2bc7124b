import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { junitXml, writeResultFiles, type RunResult } from '../../harness/results/report-files.ts'
import { tierResult } from '../../harness/results/tier-results.ts'
import { xmlText } from '../../harness/results/xml-text.ts'
import { bareRunResult } from '../support/run-results.ts'

/** A failure message as Vitest and Chromium produce them: colours, a NUL, a form feed. */
const NASTY =
  '\u001b[31mexpected\u001b[39m <b> & "x"\u0000 then\u000c end\u001b]8;;http://x\u0007link\u001b]8;;\u0007\n  at line 2\ttab'

function result(message: string): RunResult {
  const tier = tierResult(
    'custom',
    {
      tests: [
        {
          name: 'a \u001b[1mtest\u001b[22m',
          file: 'c.test.ts',
          state: 'failed',
          durationMs: 5,
          message,
        },
      ],
      errors: [],
    },
    { selected: true, dropped: undefined, expectedNA: undefined, interrupted: false },
  )
  return bareRunResult({ source: { src: 'x', ref: undefined, commit: 'c', pr: '' }, tiers: [tier] })
}

/** XML 1.0 `Char`: TAB, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF. */
const XML_CHARS = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'import xml.etree.ElementTree'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('junit.xml with terminal output in messages', () => {
  test('ANSI escapes and characters invalid in XML 1.0 are removed, the rest escaped', () => {
    expect(xmlText(NASTY)).toBe(
      'expected &lt;b&gt; &amp; &quot;x&quot; then endlink\n  at line 2\ttab',
    )
    expect(xmlText('lone \ud800 surrogate, pair \u{1f600} kept')).toBe(
      'lone  surrogate, pair \u{1f600} kept',
    )
  })

  test('the document holds only XML 1.0 characters and keeps the message text', () => {
    const text = junitXml(result(NASTY))
    expect(text).toMatch(XML_CHARS)
    expect(text).toContain('expected &lt;b&gt; &amp; &quot;x&quot; then end')
    expect(text).toContain('name="a test"')
  })

  test.skipIf(!hasPython())('a real XML parser accepts the written junit.xml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccci-junit-'))
    try {
      writeResultFiles(dir, result(NASTY))
      const file = join(dir, 'junit.xml')
      expect(readFileSync(file, 'utf8')).toMatch(XML_CHARS)
      const failure = execFileSync(
        'python3',
        [
          '-c',
          'import sys, xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).find(".//failure").text)',
          file,
        ],
        { encoding: 'utf8' },
      )
      expect(failure).toContain('expected <b> & "x" then end')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
