import { describe, expect, test } from 'vitest'
import { runCommand, tryCommand } from '../../harness/process/index.ts'
import { batchScript } from '../../harness/swarm/backup-steps.ts'

/** Runs the script with a real `sh`, as the helper's exec does (`sh -c script sh args...`). */
async function run(script: string, args: string[]): Promise<string> {
  return (await runCommand('sh', ['-c', script, 'sh', ...args], { timeoutMs: 10_000 })).stdout
}

const SHOW = `show() {
for a in "$@"; do printf '[%s]' "$a"; done
echo
}`

describe('one helper exec for several volumes (batchScript)', () => {
  test('calls the function once per entry with exactly its arguments, none spliced into the script', async () => {
    const hostile = ['a b', '$(touch /tmp/ccci-pwned)', '"q"', "it's", '*', '']
    const calls = [['data', 'all'], ['db', 'paths', ...hostile], ['x']]
    const { script, args } = batchScript(SHOW, 'show', calls)
    for (const arg of hostile.filter((a) => a.length > 1)) {
      expect(script).not.toContain(arg)
    }
    expect(await run(script, args)).toBe(
      `[data][all]\n[db][paths][a b][$(touch /tmp/ccci-pwned)]["q"][it's][*][]\n[x]\n`,
    )
  })
  test('more than nine arguments reach the function in order', async () => {
    const many = Array.from({ length: 12 }, (_, i) => `p${i}`)
    const { script, args } = batchScript(SHOW, 'show', [many.slice(0, 5), many.slice(5)])
    expect(await run(script, args)).toBe(
      `${many
        .slice(0, 5)
        .map((p) => `[${p}]`)
        .join('')}\n${many
        .slice(5)
        .map((p) => `[${p}]`)
        .join('')}\n`,
    )
  })
  test('stops at the first call that fails', async () => {
    const { script, args } = batchScript('check() { echo "$1"; [ "$1" != bad ]; }', 'check', [
      ['ok'],
      ['bad'],
      ['never'],
    ])
    const result = await tryCommand('sh', ['-c', script, 'sh', ...args], { timeoutMs: 10_000 })
    expect(result.exitCode).not.toBe(0)
    expect(result.stdout).toBe('ok\nbad\n')
  })
})
