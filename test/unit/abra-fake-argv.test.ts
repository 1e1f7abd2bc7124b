import { describe, expect, test } from 'vitest'
import { parseAbraArgv, UsageError } from '../fakes/abra/abra-argv.ts'

function refusal(argv: string[]): string {
  try {
    parseAbraArgv(argv)
  } catch (error) {
    if (error instanceof UsageError) {
      return error.message
    }
    throw error
  }
  throw new Error(`accepted: ${argv.join(' ')}`)
}

describe("the fake abra's command-line check", () => {
  test('documented spellings are accepted, short, long, bundled and with =', () => {
    const call = parseAbraArgv(['app', 'deploy', 'a.example', '1.0.0+1.2', '-C', '--force', '-nD'])
    expect(call.command).toBe('app deploy')
    expect(call.args).toEqual(['a.example', '1.0.0+1.2'])
    expect([...call.flags.keys()].sort()).toEqual([
      'chaos',
      'force',
      'no-domain-checks',
      'no-input',
    ])
    const created = parseAbraArgv(['app', 'new', 'r', '--domain=a.example', '-s', 'default', '-n'])
    expect(created.flags.get('domain')).toBe('a.example')
    expect(created.flags.get('server')).toBe('default')
  })

  test('aliases name the same command', () => {
    expect(parseAbraArgv(['app', 'secret', 'rm', 'a', '--all', '-n']).command).toBe(
      'app secret remove',
    )
  })

  test('app run passes everything after -- to the container', () => {
    const call = parseAbraArgv(['app', 'run', 'a', 'app', '--no-tty', '--', 'sh', '-c', 'ls -n'])
    expect(call.args).toEqual(['a', 'app', 'sh', '-c', 'ls -n'])
    expect(call.flags.get('no-tty')).toBe(true)
  })

  test('undocumented flags, commands and argument counts are refused', () => {
    expect(refusal(['app', 'deploy', 'a', '-n', '--yes'])).toBe(
      'unknown flag: --yes for "abra app deploy"',
    )
    expect(refusal(['app', 'undeploy', 'a', '-n', '-C'])).toContain("unknown shorthand flag: 'C'")
    expect(refusal(['app', 'destroy', 'a'])).toContain('unknown command')
    expect(refusal(['app', 'ps', 'a', 'b'])).toBe('"abra app ps" accepts 1 arg(s), received 2')
    expect(refusal(['app', 'ls', '--server'])).toBe('flag needs an argument: --server')
    expect(refusal(['app', 'ps', 'a', '--', 'x'])).toContain('takes no arguments after --')
  })

  test('a command that would prompt needs --no-input', () => {
    expect(refusal(['app', 'deploy', 'a', '--force'])).toContain('would prompt for input')
    expect(parseAbraArgv(['app', 'ls', '-m']).command).toBe('app ls')
  })
})
