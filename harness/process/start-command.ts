import type { ResultPromise } from 'execa'
import { loadExeca, type CommandResult } from './run-command.ts'
import { formatCommand } from './shell-quote.ts'

/** A command started in the background: signal it, await its result. */
export interface StartedCommand {
  /** Undefined until the process is spawned (execa loads on the first command). */
  readonly pid: number | undefined
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
  // Whole lines of both streams as they arrive, decoded by execa (a character split across chunks
  // stays whole), kept as they were written.
  const keep = (): {
    transform: (line: unknown) => Generator<unknown>
    preserveNewlines: true
  } => ({
    *transform(line: unknown) {
      if (typeof line === 'string') {
        // A line without its newline is the last of its stream: end it before the other's next.
        output += output === '' || output.endsWith('\n') ? line : `\n${line}`
      }
      yield line
    },
    preserveNewlines: true,
  })
  let child: ResultPromise | undefined
  let killWith: NodeJS.Signals | undefined
  // The child in an object: a promise resolving to the child itself would adopt its result.
  const spawned = loadExeca().then(({ execa }) => {
    const subprocess = execa(file, args, {
      cwd: options.cwd,
      env: options.env,
      reject: false,
      timeout: options.timeoutMs,
      // A SIGTERM must leave the child time for its teardown: never escalate to SIGKILL.
      forceKillAfterDelay: false,
      stdout: [keep()],
      stderr: [keep()],
    })
    child = subprocess
    if (killWith !== undefined) {
      subprocess.kill(killWith)
    }
    return { running: subprocess }
  })
  return {
    get pid() {
      return child?.pid
    },
    // A signal sent before the process exists is delivered as soon as it does.
    kill: (signal) => (child === undefined ? (killWith = signal) : child.kill(signal)),
    output: () => output,
    result: spawned.then(async ({ running }) => {
      const r = await running
      return {
        command: formatCommand(file, args),
        exitCode: r.exitCode ?? (r.signal === 'SIGINT' ? 130 : r.signal === 'SIGTERM' ? 143 : 1),
        stdout: typeof r.stdout === 'string' ? r.stdout : '',
        stderr: typeof r.stderr === 'string' ? r.stderr : '',
        durationMs: Date.now() - started,
        timedOut: r.timedOut,
      }
    }),
  }
}
