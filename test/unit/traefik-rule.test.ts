import { describe, expect, test } from 'vitest'
import { parseRule } from '../../harness/proxy/traefik-rule.ts'

describe('parseRule', () => {
  test.each([
    ['Host(`a.test`)', [{ hosts: ['a.test'], pathPrefixes: [] }]],
    ['Host("a.test")', [{ hosts: ['a.test'], pathPrefixes: [] }]],
    ['HostHeader(`a.test`)', [{ hosts: ['a.test'], pathPrefixes: [] }]],
    ['host(`A.Test`)', [{ hosts: ['a.test'], pathPrefixes: [] }]],
    ['Host(`b.test`, `a.test`, `A.test`)', [{ hosts: ['a.test', 'b.test'], pathPrefixes: [] }]],
    ['Host(`a.test`) || Host(`b.test`)', [{ hosts: ['a.test', 'b.test'], pathPrefixes: [] }]],
    ['Host(`a.test`) && PathPrefix(`/x`)', [{ hosts: ['a.test'], pathPrefixes: ['/x'] }]],
    ['PathPrefix(`/x`) && Host(`a.test`)', [{ hosts: ['a.test'], pathPrefixes: ['/x'] }]],
    [
      'Host(`a.test`) && PathPrefix(`/y`, `/x`)',
      [{ hosts: ['a.test'], pathPrefixes: ['/x', '/y'] }],
    ],
    [
      '(Host(`a.test`) || Host(`b.test`)) && (PathPrefix(`/x`) || PathPrefix(`/y`))',
      [{ hosts: ['a.test', 'b.test'], pathPrefixes: ['/x', '/y'] }],
    ],
    [
      '(Host(`a.test`) && PathPrefix(`/x`)) || Host(`b.test`)',
      [
        { hosts: ['b.test'], pathPrefixes: [] },
        { hosts: ['a.test'], pathPrefixes: ['/x'] },
      ],
    ],
    [
      'Host(`a.test`) || Host(`a.test`) && PathPrefix(`/x`)',
      [{ hosts: ['a.test'], pathPrefixes: [] }],
    ],
    ['Host(`a.test`, `b.test`) && Host(`b.test`)', [{ hosts: ['b.test'], pathPrefixes: [] }]],
    ['  ( ( Host(`a.test`) ) )  ', [{ hosts: ['a.test'], pathPrefixes: [] }]],
  ])('%s', (rule, matches) => {
    expect(parseRule(rule)).toEqual({ ok: true, matches })
  })

  test('&& binds tighter than ||', () => {
    expect(parseRule('Host(`a.test`) && PathPrefix(`/x`) || Host(`b.test`)')).toEqual(
      parseRule('(Host(`a.test`) && PathPrefix(`/x`)) || Host(`b.test`)'),
    )
  })

  test.each([
    ['Host(`a.test`'],
    ['Host(`a.test`) &&'],
    ['Host(`a.test) '],
    ['Host(a.test)'],
    ['Host(`a.test`) Host(`b.test`)'],
    ['Host(`a.test`) & PathPrefix(`/x`)'],
    [''],
  ])('%j cannot be parsed, and the message quotes it', (rule) => {
    const parsed = parseRule(rule)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.message).toContain(`cannot parse rule ${JSON.stringify(rule)}`)
  })

  test.each([
    ['HostRegexp(`{sub:[a-z]+}.a.test`)', 'HostRegexp'],
    ['Host(`a.test`) || HostRegexp(`^.+\\.a\\.test$`)', 'HostRegexp'],
    ['Host(`a.test`) && Path(`/x`)', 'Path()'],
    ['Host(`a.test`) && Headers(`X-A`, `1`)', 'Headers()'],
    ['Host(`a.test`) && !PathPrefix(`/x`)', 'negation'],
    ['PathPrefix(`/x`)', 'no Host()'],
    ['Host(`a.test`) || PathPrefix(`/x`)', 'no Host()'],
    ['Host(``)', 'non-empty'],
    ['Host(`a.test`) && PathPrefix(`x`)', 'starting with "/"'],
    ['Host(`a.test`) && PathPrefix(`/x`) && PathPrefix(`/x/y`)', 'several PathPrefix'],
    ['Host(`a.test`) && Host(`b.test`)', 'never match'],
  ])('%s is unsupported (%s)', (rule, reason) => {
    const parsed = parseRule(rule)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.message).toContain(`unsupported rule ${JSON.stringify(rule)}`)
    expect(!parsed.ok && parsed.message).toContain(reason)
  })

  test('a huge OR of ANDs is refused instead of exploding', () => {
    const alt = '(Host(`a.test`) || Host(`b.test`) || Host(`c.test`))'
    const parsed = parseRule(Array.from({ length: 5 }, () => alt).join(' && '))
    expect(parsed.ok).toBe(false)
  })
})
