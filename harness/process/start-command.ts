import { execa } from 'execa'
import type { CommandResult } from './run-command.ts'

/** A command started in the background: signal it, await its result. */
export interface StartedCommand {
  pid: number | undefined
  kill(signal: NodeJS.Signals): void
  result: Promise<CommandResult>
  /** Output so far (both streams interleaved). */
  output(): string
}

export function startCommand(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs: number },
): StartedCommand {
  const started = Date.now()
  let output = ''
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    reject: false,
    timeout: options.timeoutMs,
    all: true,
    // A SIGTERM must leave the child time for its teardown: never escalate to SIGKILL.
    forceKillAfterDelay: false,
  })
  child.all?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  return {
    pid: child.pid,
    kill: (signal) => child.kill(signal),
    output: () => output,
    result: child.then((r) => ({
      command: [file, ...args].join(' '),
      exitCode: r.exitCode ?? (r.signal === 'SIGINT' ? 130 : r.signal === 'SIGTERM' ? 143 : 1),
      stdout: typeof r.stdout === 'string' ? r.stdout : '',
      stderr: typeof r.stderr === 'string' ? r.stderr : '',
      durationMs: Date.now() - started,
      timedOut: r.timedOut,
    })),
  }
}
