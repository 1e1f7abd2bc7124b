import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { isRecipeName, validateRecipeName } from '../recipe/recipe-name.ts'
import { HistoryRecord } from './history-record.ts'

/** `$CCCI_HOME/history`: one `<recipe>.jsonl` per recipe, one line per finished run. */
export function historyDir(home: string): string {
  return join(home, 'history')
}

export function historyFile(home: string, recipe: string): string {
  return join(historyDir(home), `${validateRecipeName(recipe)}.jsonl`)
}

/**
 * Appends one run: the whole line in a single write() on an O_APPEND descriptor, so runs of
 * different processes appending at the same time never interleave their lines.
 */
export function appendHistory(home: string, record: HistoryRecord): string {
  const checked = HistoryRecord.parse(record)
  const file = historyFile(home, checked.recipe)
  mkdirSync(historyDir(home), { recursive: true })
  const line = Buffer.from(`${JSON.stringify(checked)}\n`)
  const fd = openSync(file, 'a')
  try {
    const written = writeSync(fd, line)
    if (written !== line.length) {
      throw new Error(`wrote ${written} of ${line.length} bytes to ${file}`)
    }
  } finally {
    closeSync(fd)
  }
  return file
}

/** A line that is not a valid record (a crash mid-write, a hand edit): skipped, and said so. */
export interface SkippedLine {
  line: number
  why: string
}

/** The records of a `.jsonl` text, oldest first; corrupt or partial lines are skipped, never fatal. */
export function parseHistory(text: string): { records: HistoryRecord[]; skipped: SkippedLine[] } {
  const records: HistoryRecord[] = []
  const skipped: SkippedLine[] = []
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') {
      return
    }
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch {
      skipped.push({ line: index + 1, why: 'not JSON (a partial or corrupt line)' })
      return
    }
    const parsed = HistoryRecord.safeParse(json)
    if (parsed.success) {
      records.push(parsed.data)
    } else {
      skipped.push({ line: index + 1, why: z.prettifyError(parsed.error).split('\n').join(' ') })
    }
  })
  return { records, skipped }
}

/**
 * A recipe's runs, oldest first (the order they finished); [] when none were recorded. Skipped
 * lines are passed to `warn`, one message each.
 */
export function readHistory(
  home: string,
  recipe: string,
  warn: (message: string) => void = () => undefined,
): HistoryRecord[] {
  const file = historyFile(home, recipe)
  if (!existsSync(file)) {
    return []
  }
  const { records, skipped } = parseHistory(readFileSync(file, 'utf8'))
  for (const s of skipped) {
    warn(`${file}:${s.line}: skipped: ${s.why}`)
  }
  return records
}

/** The recipes with a history file, sorted. */
export function historyRecipes(home: string): string[] {
  const dir = historyDir(home)
  if (!existsSync(dir)) {
    return []
  }
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => name.slice(0, -'.jsonl'.length))
    .filter(isRecipeName)
    .sort()
}
