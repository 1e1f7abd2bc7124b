import { join } from 'node:path'
import { runAttached } from '../process/index.ts'
import type { Command } from './command.ts'

const CHECKS: [string, string[]][] = [
  ['typescript/bin/tsc', ['--noEmit']],
  ['eslint/bin/eslint.js', ['.', '--max-warnings=0']],
  ['prettier/bin/prettier.cjs', ['--check', '.']],
]

export const checkCommand: Command = {
  summary: 'typecheck, lint and format check (what CI expects before the tests)',
  usage: 'check',
  async run(_args, { settings }) {
    let failed = 0
    for (const [bin, args] of CHECKS) {
      process.stdout.write(`ccci check: ${bin.split('/')[0] ?? bin}\n`)
      const code = await runAttached(
        process.execPath,
        [join(settings.root, 'node_modules', bin), ...args],
        {
          cwd: settings.root,
        },
      )
      failed += code === 0 ? 0 : 1
    }
    process.stdout.write(
      failed === 0 ? 'ccci check: all clean\n' : `ccci check: ${failed} check(s) failed\n`,
    )
    return failed === 0 ? 0 : 1
  },
}
