/**
 * Pure parsing and editing of abra app `.env` files (and recipe `.env.sample` files), following
 * the godotenv-like format abra reads: `KEY=value` lines, blank lines, `#` comments, optional
 * `export ` prefix, quoted values, `$VAR` expansion from earlier keys, and secret modifiers in a
 * trailing comment (`SECRET_X_VERSION=v1 # length=128`).
 */
import { CcciError } from '../errors.ts'

/** An app env as abra reads it: values plus the modifiers from trailing comments. */
export interface AppEnv {
  /** Expanded values, in the order each key was first defined. A later assignment wins. */
  values: Record<string, string>
  /**
   * Modifiers by key, from the trailing comment of the key's winning assignment:
   * `# length=64 charset=default,special` gives `{ length: '64', charset: 'default,special' }`.
   * Keys without modifiers are absent.
   */
  modifiers: Record<string, Record<string, string>>
}

/** Options for reading or editing an env file. */
export interface EnvFileOptions {
  /** Name of the file in error messages (e.g. its path). Defaults to `<input>`. */
  file?: string
}

/** Where and why a line of an env file could not be read. */
export interface EnvSyntaxDetails {
  file: string
  /** 1-based line number. */
  line: number
  /** The offending line, without its line ending. */
  text: string
  /** What is wrong, e.g. `invalid key "1ABC"`. */
  problem: string
  /** What the line should look like instead. */
  expected: string
}

/** A line of an env file that is not blank, a `#` comment or `KEY=value`. Code `CCCI_ENV_SYNTAX`. */
export class EnvSyntaxError extends CcciError {
  readonly file: string
  readonly line: number

  constructor(details: EnvSyntaxDetails) {
    super(
      'CCCI_ENV_SYNTAX',
      `${details.file}:${details.line}: ${details.problem}; expected ${details.expected}`,
      {
        hint:
          `fix line ${details.line} of ${details.file}: every line must be blank, a # comment ` +
          `or KEY=value (value optionally 'single' or "double" quoted)`,
        evidence: [{ label: `${details.file} line ${details.line}`, text: details.text }],
      },
    )
    this.file = details.file
    this.line = details.line
  }
}

/** Parses the text of an app `.env` or `.env.sample`. Throws {@link EnvSyntaxError}. */
export function parseEnvFile(text: string, options: EnvFileOptions = {}): AppEnv {
  const file = options.file ?? DEFAULT_FILE
  const values = new Map<string, string>()
  const modifiers = new Map<string, Record<string, string>>()
  splitLines(text).forEach((raw, index) => {
    const ref = { file, line: index + 1, text: stripCr(raw) }
    const assignment = readAssignment(ref)
    if (assignment === undefined) {
      return
    }
    values.set(assignment.key, decodeValue(assignment, values, ref))
    const mods = parseModifiers(assignment.comment)
    modifiers.delete(assignment.key)
    if (Object.keys(mods).length > 0) {
      modifiers.set(assignment.key, mods)
    }
  })
  return { values: Object.fromEntries(values), modifiers: Object.fromEntries(modifiers) }
}

/**
 * Returns `text` with `key` set to `value`: the value of the key's last active assignment (the
 * one that wins) is replaced in place, keeping its `export ` prefix and trailing comment; if the
 * key has no active assignment, `KEY=value` is appended. Every other byte is preserved. Throws
 * {@link EnvSyntaxError} if `text` has a malformed line, `CcciError` `CCCI_ENV_KEY` for a bad key.
 */
export function setEnvValue(
  text: string,
  key: string,
  value: string,
  options: EnvFileOptions = {},
): string {
  const file = options.file ?? DEFAULT_FILE
  if (!KEY.test(key)) {
    throw new CcciError('CCCI_ENV_KEY', `cannot set "${key}" in ${file}: not a valid env key`, {
      hint: 'use a key made of letters, digits and _ that does not start with a digit',
    })
  }
  const lines = splitLines(text)
  const target = findLastAssignment(lines, key, file)
  if (target === undefined) {
    return appendLine(text, `${key}=${formatEnvValue(value)}`)
  }
  const raw = lines[target.index] ?? ''
  const line = stripCr(raw)
  const cr = raw.slice(line.length)
  const { start, end } = target.assignment
  lines[target.index] = line.slice(0, start) + formatEnvValue(value) + line.slice(end) + cr
  return lines.join('\n')
}

/** `setEnvValue` for each entry, in order (a later entry of the same key wins). */
export function setEnvValues(
  text: string,
  values: Readonly<Record<string, string>>,
  options: EnvFileOptions = {},
): string {
  return Object.entries(values).reduce(
    (result, [key, value]) => setEnvValue(result, key, value, options),
    text,
  )
}

/**
 * The text to write after `KEY=` so that {@link parseEnvFile} reads back exactly `value`: bare
 * when safe, 'single-quoted' when it has blanks, `#`, quotes, `$` or `\`, and "double-quoted"
 * with escapes when it also has a `'` or a line break.
 */
export function formatEnvValue(value: string): string {
  if (!NEEDS_QUOTES.test(value)) {
    return value
  }
  if (!/['\r\n]/.test(value)) {
    return `'${value}'`
  }
  return `"${value.replace(/[\\"$\r\n]/g, (c) => DOUBLE_QUOTE_ESCAPES[c] ?? c)}"`
}

const DEFAULT_FILE = '<input>'
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/
const NAME_PREFIX = /^[A-Za-z_][A-Za-z0-9_]*/
const EXPORT_PREFIX = /^export[ \t]+/
const MODIFIER = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/
const NEEDS_QUOTES = /[\s#'"`$\\]/
const DOUBLE_QUOTE_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  $: '\\$',
  '\r': '\\r',
  '\n': '\\n',
}
const EXPANSION_FORMS = '${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:+alt} or ${VAR+alt}'

/** One line of a file, for error messages. */
interface LineRef {
  file: string
  line: number
  text: string
}

/** A `KEY=value` line. `start`/`end` delimit the value as written (quotes included). */
interface Assignment {
  key: string
  quote: '' | "'" | '"'
  /** The value text inside its quotes, before unescaping and expansion. */
  raw: string
  start: number
  end: number
  /** Text after the `#` of a trailing comment. */
  comment: string | undefined
}

type ValueToken = Omit<Assignment, 'key'>

function splitLines(text: string): string[] {
  return text.split('\n')
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}

function syntaxError(ref: LineRef, problem: string, expected: string): EnvSyntaxError {
  return new EnvSyntaxError({ ...ref, problem, expected })
}

/** The assignment on a line, or `undefined` for a blank or comment line. */
function readAssignment(ref: LineRef): Assignment | undefined {
  const { text } = ref
  const body = text.trimStart()
  if (body === '' || body.startsWith('#')) {
    return undefined
  }
  const keyStart = text.length - body.length + (EXPORT_PREFIX.exec(body)?.[0].length ?? 0)
  const eq = text.indexOf('=', keyStart)
  if (eq === -1) {
    throw syntaxError(ref, `missing "=" in "${body.trimEnd()}"`, 'KEY=value')
  }
  const key = text.slice(keyStart, eq).trimEnd()
  if (!KEY.test(key)) {
    throw syntaxError(
      ref,
      `invalid key "${key}"`,
      'KEY=value with KEY made of letters, digits and _, not starting with a digit',
    )
  }
  return { key, ...readValue(ref, eq + 1) }
}

function readValue(ref: LineRef, from: number): ValueToken {
  const text = ref.text
  const start = from + (text.slice(from).length - text.slice(from).trimStart().length)
  const first = text.charAt(start)
  if (first === "'" || first === '"') {
    return readQuoted(ref, start, first)
  }
  return readUnquoted(text, from, start)
}

function readQuoted(ref: LineRef, start: number, quote: "'" | '"'): ValueToken {
  const text = ref.text
  const close = findClosingQuote(text, start + 1, quote)
  const kind = quote === '"' ? 'double' : 'single'
  if (close === -1) {
    throw syntaxError(
      ref,
      `unterminated ${kind}-quoted value`,
      `a closing ${quote} on the same line (multi-line values are not supported)`,
    )
  }
  const after = text.slice(close + 1).trim()
  if (after !== '' && !after.startsWith('#')) {
    throw syntaxError(
      ref,
      `unexpected text "${after}" after the closing ${quote}`,
      'only blanks or a # comment after a quoted value',
    )
  }
  const comment = after.startsWith('#') ? text.slice(text.indexOf('#', close) + 1) : undefined
  return { quote, raw: text.slice(start + 1, close), start, end: close + 1, comment }
}

function findClosingQuote(text: string, from: number, quote: "'" | '"'): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charAt(i)
    if (c === quote) {
      return i
    }
    if (c === '\\' && quote === '"') {
      i++
    }
  }
  return -1
}

/** An unquoted value runs to the end of the line or to a `#` that follows a blank. */
function readUnquoted(text: string, afterEq: number, start: number): ValueToken {
  const hash = findCommentStart(text, start)
  const raw = text.slice(start, hash).trimEnd()
  const comment = hash < text.length ? text.slice(hash + 1) : undefined
  // An empty value is located right after `=`, so setting it keeps the blank before `#`.
  const at = raw === '' ? afterEq : start
  return { quote: '', raw, start: at, end: at + raw.length, comment }
}

function findCommentStart(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text.charAt(i) === '#' && /\s/.test(text.charAt(i - 1))) {
      return i
    }
  }
  return text.length
}

function parseModifiers(comment: string | undefined): Record<string, string> {
  const words = comment?.trim().split(/\s+/) ?? []
  return Object.fromEntries(
    words.flatMap((word) => {
      const match = MODIFIER.exec(word)
      return match?.[1] === undefined ? [] : [[match[1], match[2] ?? '']]
    }),
  )
}

function decodeValue(
  assignment: Assignment,
  vars: ReadonlyMap<string, string>,
  ref: LineRef,
): string {
  if (assignment.quote === "'") {
    return assignment.raw
  }
  return expand(assignment.raw, { vars, ref, doubleQuoted: assignment.quote === '"' })
}

interface ExpandContext {
  /** Keys defined on earlier lines. */
  vars: ReadonlyMap<string, string>
  ref: LineRef
  /** Double-quoted values also unescape `\n`, `\r`, `\t` and `\<any char>`. */
  doubleQuoted: boolean
}

/** A piece of decoded text and the index just after the source it came from. */
interface Piece {
  text: string
  next: number
}

function expand(raw: string, ctx: ExpandContext): string {
  let out = ''
  let i = 0
  while (i < raw.length) {
    const c = raw.charAt(i)
    const piece =
      c === '\\'
        ? readEscape(raw, i, ctx.doubleQuoted)
        : c === '$'
          ? readExpansion(raw, i, ctx)
          : { text: c, next: i + 1 }
    out += piece.text
    i = piece.next
  }
  return out
}

function readEscape(raw: string, i: number, doubleQuoted: boolean): Piece {
  const c = raw.charAt(i + 1)
  if (c === '$') {
    return { text: '$', next: i + 2 }
  }
  if (!doubleQuoted || c === '') {
    return { text: '\\', next: i + 1 }
  }
  const named: Record<string, string> = { n: '\n', r: '\r', t: '\t' }
  return { text: named[c] ?? c, next: i + 2 }
}

function readExpansion(raw: string, i: number, ctx: ExpandContext): Piece {
  if (raw.charAt(i + 1) === '{') {
    const close = findClosingBrace(raw, i + 2)
    if (close === -1) {
      throw syntaxError(ctx.ref, `unterminated "\${" in the value`, EXPANSION_FORMS)
    }
    return { text: expandBraced(raw.slice(i + 2, close), ctx), next: close + 1 }
  }
  const name = NAME_PREFIX.exec(raw.slice(i + 1))?.[0]
  if (name === undefined) {
    return { text: '$', next: i + 1 }
  }
  return { text: ctx.vars.get(name) ?? '', next: i + 1 + name.length }
}

function findClosingBrace(raw: string, from: number): number {
  let depth = 1
  for (let i = from; i < raw.length; i++) {
    const c = raw.charAt(i)
    if (c === '\\') {
      i++
    } else if (c === '{') {
      depth++
    } else if (c === '}' && --depth === 0) {
      return i
    }
  }
  return -1
}

/** Expands the inside of `${...}`. */
function expandBraced(inner: string, ctx: ExpandContext): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?$/s.exec(inner)
  const name = match?.[1]
  if (match == null || name === undefined) {
    throw syntaxError(ctx.ref, `unsupported expansion "\${${inner}}"`, EXPANSION_FORMS)
  }
  const value = ctx.vars.get(name)
  const operator = match[2]
  if (operator === undefined) {
    return value ?? ''
  }
  const word = expand(match[3] ?? '', ctx)
  const set = operator.startsWith(':') ? value !== undefined && value !== '' : value !== undefined
  if (operator.endsWith('-')) {
    return set ? (value ?? '') : word
  }
  return set ? word : ''
}

function findLastAssignment(
  lines: readonly string[],
  key: string,
  file: string,
): { index: number; assignment: Assignment } | undefined {
  let found: { index: number; assignment: Assignment } | undefined
  lines.forEach((raw, index) => {
    const assignment = readAssignment({ file, line: index + 1, text: stripCr(raw) })
    if (assignment?.key === key) {
      found = { index, assignment }
    }
  })
  return found
}

function appendLine(text: string, line: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  if (text === '' || text.endsWith('\n')) {
    return `${text}${line}${eol}`
  }
  return `${text}${eol}${line}${eol}`
}
