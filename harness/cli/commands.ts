import type { Command } from './command.ts'
import { hostCommand } from './host-command.ts'

export const commands: Record<string, Command> = {
  host: hostCommand,
}

export function usage(): string {
  const lines = Object.values(commands).map((c) => `  ccci ${c.usage.padEnd(48)} ${c.summary}`)
  return `cc-ci: continuous integration for Co-op Cloud recipes\n\nusage:\n${lines.join('\n')}\n`
}
