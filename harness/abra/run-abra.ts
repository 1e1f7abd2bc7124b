import type { ErrorCode } from '../error-codes.ts'
import { CcciError, tail } from '../errors.ts'
import { formatCommand, shellQuote, tryCommand } from '../process/index.ts'
import { redact } from '../redaction/redact.ts'
import { fatalMessage, messagesOnly, stripTerminal } from './abra-output.ts'

/** One abra invocation. */
export interface AbraCall {
  /** The abra executable (a name looked up on PATH, or a path). */
  bin: string
  args: readonly string[]
  /** Environment over the process environment (ABRA_DIR, CCCI_OWNER_LABELS...). */
  env: Record<string, string>
  /** Kill abra after this many milliseconds: nothing may hang a run. */
  timeoutMs: number
  cwd?: string
  /** Each output line as it arrives (cleaned of terminal escapes), for progress. */
  onLine?: (line: string) => void
}

/** What an abra command did. `output` is stdout and stderr as the terminal showed them. */
export interface AbraOutput {
  /** The abra command line (without the `script` wrapper), for messages. */
  command: string
  exitCode: number
  output: string
  timedOut: boolean
  durationMs: number
  /** The deadline it ran under. */
  timeoutMs: number
}

/**
 * Runs abra under a pseudo-terminal, as it needs one even with `-n` (it fails without a terminal):
 * `script -qec '<argv, shell-quoted>' /dev/null` (util-linux; `-e` returns abra's exit status,
 * `-q` adds no banner, `/dev/null` keeps no typescript file). Terminal escapes and carriage
 * returns are stripped from the output. Never throws for a failing abra: see {@link abraError}.
 */
export async function runAbra(call: AbraCall): Promise<AbraOutput> {
  const command = formatCommand(call.bin, call.args)
  const line = [call.bin, ...call.args].map(shellQuote).join(' ')
  const onLine = call.onLine
  const result = await tryCommand('script', ['-qec', line, '/dev/null'], {
    timeoutMs: call.timeoutMs,
    cwd: call.cwd,
    // `script` runs the line with $SHELL -c: pin a POSIX shell whatever the user's login shell.
    env: { ...call.env, SHELL: '/bin/sh' },
    display: command,
    ...(onLine === undefined
      ? {}
      : { onLine: (text: string) => onLine(stripTerminal(text).replace(/\r$/, '')) }),
  })
  return {
    command,
    // `script` killed at the deadline may still exit 0: the deadline is what counts.
    exitCode: result.timedOut ? 124 : result.exitCode,
    output: stripTerminal(`${result.stdout}${result.stderr}`),
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    timeoutMs: call.timeoutMs,
  }
}

/** Options of {@link abraError}. */
export interface AbraErrorOptions {
  /** What the reader should do next. */
  hint?: string
  /** The output may hold secret values: show only abra's own level-prefixed lines. */
  secretOutput?: boolean
  /** Error code for a command that failed (not hung); default `CCCI_ABRA_FAILED`. */
  code?: ErrorCode
  /** Message for a failed command, before abra's own words; default ``\`<command>\` exited N``. */
  what?: string
}

/**
 * The typed error for an abra command that hung or failed: the message names the command and
 * says what abra said (its `FATA` line); the evidence is the output tail, redacted.
 */
export function abraError(result: AbraOutput, options: AbraErrorOptions = {}): CcciError {
  const shown = options.secretOutput === true ? messagesOnly(result.output) : result.output
  const evidence = [{ label: 'abra output (last 20 lines)', text: redact(tail(shown)) }]
  if (result.timedOut) {
    return new CcciError(
      'CCCI_ABRA_TIMEOUT',
      redact(
        `\`${result.command}\` did not finish within ${Math.round(result.timeoutMs / 1000)}s and was killed`,
      ),
      {
        evidence,
        hint:
          options.hint ??
          'abra hung: is it waiting for an answer (a prompt that --no-input does not cover), for Docker, or for the network? Run the command by hand under the same ABRA_DIR to see',
      },
    )
  }
  const notFound = result.exitCode === 127 && /not found/i.test(result.output)
  const said = notFound ? 'abra: command not found' : fatalMessage(result.output)
  const what = options.what ?? `\`${result.command}\` exited ${result.exitCode}`
  return new CcciError(
    options.code ?? 'CCCI_ABRA_FAILED',
    redact(said === undefined ? what : `${what}: ${said}`),
    {
      evidence,
      hint: notFound
        ? 'install abra on this host (or put it on PATH), or run with CCCI_DRIVER=swarm'
        : options.hint,
    },
  )
}
