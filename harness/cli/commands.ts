import { bridgeCommand } from './bridge-command.ts'
import { checkCommand } from './check-command.ts'
import type { Command } from './command.ts'
import { demoCommand } from './demo-command.ts'
import { hostCommand } from './host-command.ts'
import { inspectCommand } from './inspect-command.ts'
import { janitorCommand } from './janitor-command.ts'
import { planCommand } from './plan-command.ts'
import { pruneCommand } from './prune-command.ts'
import { runCommand } from './run-command.ts'
import { sweepCommand } from './sweep-command.ts'
import { testCommand } from './test-command.ts'
import { verdictCommand } from './verdict-command.ts'
import { vitestCommand } from './vitest-command.ts'

export const commands: Record<string, Command> = {
  demo: demoCommand,
  test: testCommand,
  run: runCommand,
  plan: planCommand,
  inspect: inspectCommand,
  host: hostCommand,
  janitor: janitorCommand,
  sweep: sweepCommand,
  prune: pruneCommand,
  bridge: bridgeCommand,
  verdict: verdictCommand,
  check: checkCommand,
  vitest: vitestCommand,
}

export function usage(): string {
  const lines = Object.values(commands).map((c) => `  ccci ${c.usage}\n      ${c.summary}`)
  const env =
    '  eval "$(./ccci env)"\n      put the Node cc-ci runs on first on PATH in this shell (then `npx vitest ...` works)'
  return `cc-ci: continuous integration for Co-op Cloud recipes\n\nusage:\n${[...lines, env].join('\n')}\n`
}
