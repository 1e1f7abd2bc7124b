import type { Command } from './command.ts'
import { runVitest } from './vitest-cli.ts'

export const testCommand: Command = {
  summary: "run cc-ci's own test suite (unit, integration, e2e); extra args go to vitest",
  usage: 'test [vitest args...]',
  run(args, { settings }) {
    return runVitest(settings, ['run', '-c', 'test/vitest.config.ts', ...args])
  },
}
