/**
 * Pure reading of a recipe's `abra.sh`. abra does not run the script to render compose files: it
 * only takes its top-level `export NAME=value` lines (config versions such as
 * `export PG_BACKUP_VERSION=v6`), which the compose files use as config and secret versions.
 */
import { CcciError } from '../errors.ts'

/** Options for {@link parseAbraSh}. */
export interface AbraShOptions {
  /** Name of the file in error messages. Defaults to `abra.sh`. */
  file?: string
}

/**
 * The variables exported by the top-level `export NAME=value` lines of an `abra.sh`, in the order
 * first exported; a later export wins. Only lines starting with `export` in column 0 count, so
 * function bodies (indented), comments and other statements are ignored, as are `export NAME`
 * without a value and `export -f`. Values are read as shell words: quotes are removed and escapes
 * undone, but `$VAR` and `$(...)` are kept literally (abra does not expand them). Several
 * assignments on one line (`export A=1 B=2`) all count. Throws `CcciError` `CCCI_ABRA_SH_SYNTAX`
 * for an unterminated quote on an export line.
 */
export function parseAbraSh(text: string, options: AbraShOptions = {}): Record<string, string> {
  const file = options.file ?? 'abra.sh'
  const vars = new Map<string, string>()
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    for (const [name, value] of readExports({ file, line: index + 1, text: line })) {
      vars.set(name, value)
    }
  })
  return Object.fromEntries(vars)
}

const EXPORT_PREFIX = /^export[ \t]+/
const ASSIGNMENT_PREFIX = /^([A-Za-z_][A-Za-z0-9_]*)=/
/** Characters that end an unquoted shell word. */
const WORD_END = /[\s;&|<>()]/
/** Characters a backslash escapes inside double quotes (POSIX). */
const DOUBLE_QUOTE_ESCAPABLE = new Set(['$', '`', '"', '\\'])

interface LineRef {
  file: string
  line: number
  text: string
}

/** A decoded shell word and the index just after it. */
interface Word {
  value: string
  end: number
}

function readExports(ref: LineRef): Array<[string, string]> {
  const prefix = EXPORT_PREFIX.exec(ref.text)
  if (prefix == null) {
    return []
  }
  const found: Array<[string, string]> = []
  let i = prefix[0].length
  for (;;) {
    const match = ASSIGNMENT_PREFIX.exec(ref.text.slice(i))
    const name = match?.[1]
    if (match == null || name === undefined) {
      return found
    }
    const word = readWord(ref, i + match[0].length)
    found.push([name, word.value])
    i = skipBlanks(ref.text, word.end)
  }
}

function skipBlanks(text: string, from: number): number {
  let i = from
  while (i < text.length && /[ \t]/.test(text.charAt(i))) {
    i++
  }
  return i
}

function readWord(ref: LineRef, from: number): Word {
  const text = ref.text
  let value = ''
  let i = from
  while (i < text.length && !WORD_END.test(text.charAt(i))) {
    const piece = readPiece(ref, i)
    value += piece.value
    i = piece.end
  }
  return { value, end: i }
}

/** One quoted string, escaped character or plain character of a shell word. */
function readPiece(ref: LineRef, i: number): Word {
  const text = ref.text
  const c = text.charAt(i)
  if (c === "'") {
    const close = text.indexOf("'", i + 1)
    if (close === -1) {
      throw unterminated(ref, "'")
    }
    return { value: text.slice(i + 1, close), end: close + 1 }
  }
  if (c === '"') {
    return readDoubleQuoted(ref, i)
  }
  if (c === '\\' && i + 1 < text.length) {
    return { value: text.charAt(i + 1), end: i + 2 }
  }
  return { value: c, end: i + 1 }
}

function readDoubleQuoted(ref: LineRef, open: number): Word {
  const text = ref.text
  let value = ''
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charAt(i)
    if (c === '"') {
      return { value, end: i + 1 }
    }
    const next = text.charAt(i + 1)
    if (c === '\\' && DOUBLE_QUOTE_ESCAPABLE.has(next)) {
      value += next
      i++
    } else {
      value += c
    }
  }
  throw unterminated(ref, '"')
}

function unterminated(ref: LineRef, quote: string): CcciError {
  return new CcciError(
    'CCCI_ABRA_SH_SYNTAX',
    `${ref.file}:${ref.line}: unterminated ${quote} in an export; expected a closing ${quote} ` +
      'on the same line, as in export NAME="value"',
    {
      hint: `fix line ${ref.line} of ${ref.file}; abra reads abra.sh exports one line at a time`,
      evidence: [{ label: `${ref.file} line ${ref.line}`, text: ref.text }],
    },
  )
}
