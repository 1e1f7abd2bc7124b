import type { Command } from './command.ts'

/**
 * Every command, loaded only when it runs: a command imports only what it uses, so `./ccci plan`
 * never loads the bridge's SQLite or the SSO stand-in (`ccci help` loads them all for their usage).
 */
const commands: Record<string, () => Promise<Command>> = {
  demo: async () => (await import('./demo-command.ts')).demoCommand,
  test: async () => (await import('./test-command.ts')).testCommand,
  run: async () => (await import('./run-command.ts')).runCommand,
  plan: async () => (await import('./plan-command.ts')).planCommand,
  inspect: async () => (await import('./inspect-command.ts')).inspectCommand,
  host: async () => (await import('./host-command.ts')).hostCommand,
  janitor: async () => (await import('./janitor-command.ts')).janitorCommand,
  sweep: async () => (await import('./sweep-command.ts')).sweepCommand,
  history: async () => (await import('./history-command.ts')).historyCommand,
  prune: async () => (await import('./prune-command.ts')).pruneCommand,
  report: async () => (await import('./report-command.ts')).reportCommand,
  bridge: async () => (await import('./bridge-command.ts')).bridgeCommand,
  verdict: async () => (await import('./verdict-command.ts')).verdictCommand,
  check: async () => (await import('./check-command.ts')).checkCommand,
  vitest: async () => (await import('./vitest-command.ts')).vitestCommand,
}

/** The command named `name`, or undefined when there is none. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  return Object.hasOwn(commands, name) ? commands[name]?.() : undefined
}

export async function usage(): Promise<string> {
  const loaded = await Promise.all(Object.values(commands).map((load) => load()))
  const lines = loaded.map((c) => `  ccci ${c.usage}\n      ${c.summary}`)
  const env =
    '  eval "$(./ccci env)"\n      put the Node cc-ci runs on first on PATH in this shell (then `npx vitest ...` works)'
  return `cc-ci: continuous integration for Co-op Cloud recipes\n\nusage:\n${[...lines, env].join('\n')}\n`
}
