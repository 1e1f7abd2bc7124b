/**
 * Reading what abra prints. abra runs under a pseudo-terminal (it needs one), so its stdout and
 * stderr arrive merged, with CRLF line endings and, sometimes, terminal escapes; its own
 * messages are prefixed by a level word (`INFO`, `WARN`, `FATA`).
 */
import { z } from 'zod'
import { CcciError } from '../errors.ts'

/** CSI sequences (`ESC [ ... final`), OSC sequences (`ESC ] ... BEL|ST`) and two-byte escapes. */
const ANSI =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g

/**
 * Text as a reader would see it: terminal escapes removed, CRLF as LF, and a carriage return
 * that redraws a line (progress output) keeps only what was drawn last.
 */
export function stripTerminal(text: string): string {
  return text
    .replace(ANSI, '')
    .split('\n')
    .map((line) => {
      const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line
      const last = trimmed.lastIndexOf('\r')
      return last < 0 ? trimmed : trimmed.slice(last + 1)
    })
    .join('\n')
}

/** abra's message levels (charmbracelet/log in the cobra era, logrus before). */
export const LogLevelSchema = z.enum(['DEBU', 'INFO', 'WARN', 'ERRO', 'FATA'])

/** One message line of abra's own, e.g. `FATA deploy failed`. */
export const LogLineSchema = z.object({
  level: LogLevelSchema,
  message: z.string(),
})
export type LogLine = z.infer<typeof LogLineSchema>

/** `LEVEL message` or logrus' `LEVEL[0000] message`. */
const LOG_LINE = /^\s*(DEBU|INFO|WARN|ERRO|FATA)(?:\[\d+\])?(?:\s+(.*))?$/

/** The level-prefixed lines of abra's output, in order. */
export function logLines(output: string): LogLine[] {
  return output.split('\n').flatMap((line) => {
    const match = LOG_LINE.exec(line)
    if (match === null) {
      return []
    }
    const parsed = LogLineSchema.safeParse({ level: match[1], message: (match[2] ?? '').trim() })
    return parsed.success ? [parsed.data] : []
  })
}

/** What abra said when it gave up: the text of its `FATA` lines, else of its `ERRO` lines. */
export function fatalMessage(output: string): string | undefined {
  const lines = logLines(output)
  for (const level of ['FATA', 'ERRO'] as const) {
    const found = lines.filter((l) => l.level === level && l.message !== '')
    if (found.length > 0) {
      return found.map((l) => l.message).join('; ')
    }
  }
  return undefined
}

/** Only abra's own message lines: what may be shown of a command whose output holds secrets. */
export function messagesOnly(output: string): string {
  return logLines(output)
    .map((l) => `${l.level} ${l.message}`)
    .join('\n')
}

/**
 * The JSON document in the output of a `-m` command: from the first line that starts a JSON
 * value to the last line that ends one (abra's messages may come before or after it on the
 * same terminal). Throws `CCCI_ABRA_OUTPUT` when there is none or it does not parse.
 */
export function extractJson(output: string, command: string): unknown {
  const lines = output.split('\n')
  const start = lines.findIndex((l) => /^\s*[[{]/.test(l))
  let end = -1
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/[\]}]\s*$/.test(lines[i] ?? '')) {
      end = i
      break
    }
  }
  if (start < 0 || end < start) {
    throw unexpectedOutput(command, 'no JSON document', output)
  }
  const text = lines.slice(start, end + 1).join('\n')
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw unexpectedOutput(
      command,
      `its JSON does not parse (${error instanceof Error ? error.message : String(error)})`,
      output,
    )
  }
}

/** The error for output whose shape cc-ci does not know (abra changed, or a wrong abra). */
export function unexpectedOutput(command: string, problem: string, output: string): CcciError {
  return new CcciError('CCCI_ABRA_OUTPUT', `\`${command}\` printed ${problem}`, {
    evidence: [{ label: 'output (last 20 lines)', text: output.split('\n').slice(-20).join('\n') }],
    hint: 'this abra prints another shape than cc-ci knows (test/fixtures/abra holds the known ones); record this output there, adjust harness/abra, and pin the abra version on the host',
  })
}

/** Parses `value` with `schema`, or throws `CCCI_ABRA_OUTPUT` naming the command and the problem. */
export function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  command: string,
  output: string,
): T {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    throw unexpectedOutput(command, `an unexpected shape: ${z.prettifyError(parsed.error)}`, output)
  }
  return parsed.data
}
