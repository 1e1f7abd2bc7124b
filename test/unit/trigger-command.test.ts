import { describe, expect, test } from 'vitest'
import { MAX_TRIGGER_BODY, parseTrigger } from '../../harness/bridge/trigger-command.ts'

describe('the !testme grammar', () => {
  test.each([
    ['!testme', false],
    ['!testme --quick', true],
    ['  !testme  ', false],
    ['!testme\t--quick\t', true],
    ['please run it\n!testme\nthanks', false],
    ['lgtm\r\n!testme --quick\r\n', true],
    ['```\ncode\n```\n!testme', false],
    ['!testme --quick\n!testme', true],
  ])('%j triggers (quick: %s)', (body, quick) => {
    expect(parseTrigger(body)).toEqual({ quick })
  })

  test.each([
    '!testmexyz',
    '!testme --quik',
    '!testme --quick --full',
    '!testme quick',
    '!testme -q',
    '!TESTME',
    '! testme',
    '!!testme',
    'testme',
    'please !testme',
    '!testme please',
    '> !testme',
    '>!testme',
    '`!testme`',
    '    !testme',
    '\t!testme',
    '```\n!testme\n```',
    '~~~\n!testme\n~~~',
    '````\n```\n!testme\n````',
    '```\n!testme',
    '!testme\u0000',
    'ok\n!testme\n\u0007',
    '!testme\ufffd',
    '',
  ])('%j is ignored', (body) => {
    expect(parseTrigger(body)).toBeUndefined()
  })

  test('a huge body is ignored, even when it starts with a trigger', () => {
    expect(parseTrigger(`!testme\n${'x'.repeat(MAX_TRIGGER_BODY)}`)).toBeUndefined()
  })

  test('a value that is not a string is ignored', () => {
    expect(parseTrigger(undefined)).toBeUndefined()
    expect(parseTrigger({ body: '!testme' })).toBeUndefined()
  })
})

/** mulberry32: a small seeded generator, so a failure reproduces. */
function generator(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('the parser under 100,000 generated comments', () => {
  const random = generator(0x7e57)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const int = (n: number) => Math.floor(random() * n)
  const ALPHABET = 'abcdefghijklmnopqrstuvwxyz !?-_.`~>#*\t!testmequick-- 0123456789éß漢🙂'
  const text = (n: number) => Array.from({ length: n }, () => pick([...ALPHABET])).join('')
  /** A line that can never be a trigger: it starts with a letter. */
  const filler = () => `${pick(['a', 'Z', 'x', 'q'])}${text(int(60))}`
  /** Lines that look like a trigger and are not one. */
  const nearMisses = [
    () => `!testme${pick(['x', 'xyz', '-', '--', '_', '1', '!', '.', ':'])}${text(int(5))}`,
    () =>
      `!testme ${pick(['--quik', '--full', '-q', 'quick', '--quick=1', '--quick --quick', '—quick', '--QUICK'])}`,
    () => `!testme --quick ${pick(['x', 'now', '--', '!testme'])}`,
    () =>
      `${pick(['>', '> ', '>> ', '* ', '- ', '1. ', '# ', '`', '    ', '\t', '\u00a0'])}!testme`,
    () =>
      `${pick(['!TestMe', '!TESTME', '!test me', '! testme', '!!testme', 'testme', '/testme', '!tesme'])}`,
    () => `${filler()} !testme`,
  ]
  const nearMiss = () => pick(nearMisses)()
  const trigger = (quick: boolean) =>
    `${' '.repeat(int(4))}!testme${quick ? `${pick([' ', '  ', '\t'])}--quick` : ''}${pick(['', ' ', '\t', '  '])}`
  const join = (lines: string[]) => lines.join(pick(['\n', '\r\n']))

  test('no crash, no false trigger, every real trigger found', () => {
    const counts = { plain: 0, hidden: 0, triggers: 0, binary: 0 }
    const wrong: { body: string; got: unknown; expected: unknown }[] = []
    for (let i = 0; i < 100_000; i++) {
      const kind = int(5)
      const lines = Array.from({ length: int(6) }, () => (random() < 0.5 ? filler() : nearMiss()))
      let body: string
      let expected: { quick: boolean } | undefined
      if (kind === 0 || kind === 1) {
        // Near misses and filler only.
        body = join(lines)
        expected = undefined
        counts.plain++
      } else if (kind === 2) {
        // A real trigger inside a fence, or a quote: still not one.
        const fence = pick(['```', '~~~', '````'])
        const hidden =
          random() < 0.5 ? [fence, trigger(random() < 0.5), fence] : [`> ${trigger(false).trim()}`]
        lines.splice(int(lines.length + 1), 0, ...hidden)
        body = join(lines)
        expected = undefined
        counts.hidden++
      } else if (kind === 3) {
        const quick = random() < 0.5
        lines.splice(int(lines.length + 1), 0, trigger(quick))
        body = join(lines)
        expected = { quick }
        counts.triggers++
      } else {
        // A trigger in a binary or oversized body: ignored.
        const bad = random() < 0.5 ? String.fromCharCode(int(8) + 1) : 'y'.repeat(MAX_TRIGGER_BODY)
        lines.splice(int(lines.length + 1), 0, trigger(false), bad)
        body = join(lines)
        expected = undefined
        counts.binary++
      }
      const got = parseTrigger(body)
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        wrong.push({ body, got, expected })
      }
    }
    // The first few wrong answers, with the comment that caused them.
    expect(wrong.slice(0, 3)).toEqual([])
    expect(counts.plain + counts.hidden + counts.triggers + counts.binary).toBe(100_000)
    expect(Math.min(...Object.values(counts))).toBeGreaterThan(10_000)
  })
})
