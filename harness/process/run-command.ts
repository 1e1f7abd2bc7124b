import { constants } from 'node:os'
import type * as Execa from 'execa'
import { CcciError, tail } from '../errors.ts'
import { binaryLineReporter, lineReporter } from './output-lines.ts'
import { formatCommand } from './shell-quote.ts'

/** Options of one external command. Every command has a deadline. */
export interface CommandOptions {
  /** Kill the command after this many milliseconds. Required: nothing may hang a run. */
  timeoutMs: number
  cwd?: string
  /** Extra environment; merged over the process environment unless `cleanEnv`. */
  env?: Record<string, string | undefined>
  /** Start from an empty environment (PATH and HOME are kept). */
  cleanEnv?: boolean
  input?: string
  /**
   * Called with each output line as it arrives (progress for long commands), without its line
   * ending; the last line counts even without a trailing newline. The output is kept unchanged.
   */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void
  /** What the reader should do when the command fails. */
  hint?: string
  /** Removes secret values from anything kept in errors. */
  redact?: (text: string) => string
  /** The command as it should appear in messages, when argv holds something long or private. */
  display?: string
  /** Keep stdout as bytes (`stdoutBuffer`), e.g. for file contents. */
  binary?: boolean
  /** Stops the command (SIGTERM) when aborted, e.g. the run's signal on SIGINT/SIGTERM. */
  signal?: AbortSignal
  /**
   * Runs the command in a process group of its own; when it ends (or is killed at its deadline
   * or by `signal`) whatever it left running in that group is stopped too. For shell scripts,
   * whose children would otherwise outlive them and hold their output open.
   */
  processGroup?: boolean
}

export interface CommandResult {
  command: string
  exitCode: number
  stdout: string
  stderr: string
  durationMs: number
  timedOut: boolean
  /** Raw stdout, with `binary`. */
  stdoutBuffer?: Buffer
  /** The signal that killed the command, when one did (its exitCode is then 128 + its number). */
  signal?: NodeJS.Signals
}

/**
 * execa, loaded on the first command: a tier worker that starts none does not pay for it. (An
 * `import()`, never a `require()`: execa is an ES module, and the tsx loader the fake abra runs
 * under cannot require it.)
 */
export function loadExeca(): Promise<typeof Execa> {
  execaModule ??= import('execa')
  return execaModule
}
let execaModule: Promise<typeof Execa> | undefined

const KEEP_ENV = ['PATH', 'HOME', 'USER', 'LANG', 'TMPDIR', 'DOCKER_HOST', 'DOCKER_CONFIG']

function environment(options: CommandOptions): Record<string, string | undefined> {
  if (options.cleanEnv !== true) {
    return { ...options.env }
  }
  const kept = Object.fromEntries(KEEP_ENV.map((key) => [key, process.env[key]]))
  return { ...kept, ...options.env }
}

/** Runs a command to completion and returns its result whatever its exit code. */
export async function tryCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const command = options.display ?? formatCommand(file, args)
  const started = Date.now()
  const onLine = options.onLine
  const binary = options.binary === true
  const { execa } = await loadExeca()
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env: environment(options),
    extendEnv: options.cleanEnv !== true,
    input: options.input,
    timeout: options.timeoutMs,
    reject: false,
    stripFinalNewline: false,
    cancelSignal: options.signal,
    detached: options.processGroup === true,
    ...(binary ? { encoding: 'buffer' as const } : {}),
    ...(onLine === undefined
      ? {}
      : {
          stdout: [binary ? binaryLineReporter(onLine, 'stdout') : lineReporter(onLine, 'stdout')],
          stderr: [binary ? binaryLineReporter(onLine, 'stderr') : lineReporter(onLine, 'stderr')],
        }),
  })
  if (options.processGroup === true) {
    // The leader's exit, not the end of its output, which a leftover child would hold open.
    subprocess.nodeChildProcess.once('exit', () => stopGroup(subprocess.pid))
  }
  const result = await subprocess
  if (result.isCanceled) {
    throw new CcciError(
      'CCCI_COMMAND_CANCELLED',
      `\`${command}\` was stopped: the run was interrupted`,
      {
        hint: 'the run was cancelled (SIGINT/SIGTERM); run it again',
        cause: result,
      },
    )
  }
  if (
    result.failed &&
    result.exitCode === undefined &&
    !result.timedOut &&
    result.signal === undefined
  ) {
    throw new CcciError(
      'CCCI_COMMAND_NOT_FOUND',
      `could not start \`${command}\`: ${result.shortMessage}`,
      {
        hint: `is \`${file}\` installed and on PATH? (\`./ccci host up\` installs what the local host needs)`,
        cause: result,
      },
    )
  }
  const raw: unknown = result.stdout
  const stdoutBuffer = raw instanceof Uint8Array ? Buffer.from(raw) : undefined
  const stderrRaw: unknown = result.stderr
  return {
    command,
    exitCode:
      result.exitCode ??
      (result.timedOut
        ? 124
        : result.signal !== undefined
          ? 128 + (constants.signals[result.signal] ?? 0)
          : 1),
    signal: result.timedOut ? undefined : result.signal,
    stdout:
      stdoutBuffer === undefined
        ? typeof raw === 'string'
          ? raw
          : ''
        : stdoutBuffer.toString('utf8'),
    stderr:
      stderrRaw instanceof Uint8Array
        ? Buffer.from(stderrRaw).toString('utf8')
        : typeof stderrRaw === 'string'
          ? stderrRaw
          : '',
    stdoutBuffer,
    durationMs: Date.now() - started,
    timedOut: result.timedOut,
  }
}

/** SIGTERM, then SIGKILL 2 s later, to what is left of a process group. */
function stopGroup(pid: number | undefined): void {
  if (pid === undefined) {
    return
  }
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal)
    } catch {
      // the group is empty
    }
  }
  signalGroup('SIGTERM')
  setTimeout(() => signalGroup('SIGKILL'), 2_000).unref()
}

/** Runs a command and throws a `CommandError` with its evidence unless it exits 0. */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const result = await tryCommand(file, args, options)
  if (result.timedOut || result.exitCode !== 0) {
    throw commandError(result, options)
  }
  return result
}

/** The typed error for a failed or hung command, with its output tails as evidence. */
export function commandError(
  result: CommandResult,
  options: Pick<CommandOptions, 'hint' | 'redact' | 'timeoutMs'>,
): CcciError {
  const redact = options.redact ?? ((text: string) => text)
  const seconds = (result.durationMs / 1000).toFixed(1)
  const message = result.timedOut
    ? `\`${result.command}\` did not finish within ${Math.round(options.timeoutMs / 1000)}s and was killed`
    : `\`${result.command}\` exited ${result.exitCode} after ${seconds}s`
  return new CcciError(
    result.timedOut ? 'CCCI_COMMAND_TIMEOUT' : 'CCCI_COMMAND_FAILED',
    redact(message),
    {
      hint: options.hint,
      evidence: [
        { label: 'stderr (last 20 lines)', text: redact(tail(result.stderr)) },
        { label: 'stdout (last 20 lines)', text: redact(tail(result.stdout)) },
      ],
    },
  )
}
