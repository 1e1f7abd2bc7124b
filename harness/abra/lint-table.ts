import { z } from 'zod'
import type { LintResult, LintRule } from '../driver/app-driver.ts'
import { lintOk } from '../coop/lint.ts'
import { unexpectedOutput } from './abra-output.ts'

/**
 * Parsing the table `abra recipe lint` prints. abra exits 0 when rules
 * fail, so the verdict is read from the table: one row per rule with its ref, description,
 * severity, and ✅/❌ in the satisfied and skipped columns. Box-drawing (`│`) and ASCII (`|`)
 * tables are both read; a description wrapped over several lines is joined back.
 */

const LevelSchema = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['warn', 'warning', 'error', 'critical']))
  .transform((s): LintRule['level'] => (s === 'warn' || s === 'warning' ? 'warn' : 'error'))

const YES = new Set(['✅', '✔', '✓', 'yes', 'true', 'y'])
const NO = new Set(['❌', '✖', '✗', 'x', 'no', 'false', 'n', ''])

const MarkSchema = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => YES.has(s) || NO.has(s), { message: 'expected ✅ or ❌ (or yes/no)' })
  .transform((s) => YES.has(s))

/** One row of the lint table, read from its cells. */
export const LintRuleRowSchema = z.object({
  ref: z.string().regex(/^R\d{3}$/),
  level: LevelSchema,
  description: z.string().min(1),
  satisfied: MarkSchema,
  skipped: MarkSchema,
})

/** Column names abra has used for each field (upper-cased header cells). */
const COLUMNS = {
  ref: ['REF'],
  description: ['RULE', 'DESCRIPTION'],
  level: ['SEVERITY', 'LEVEL'],
  satisfied: ['SATISFIED', 'OK'],
  skipped: ['SKIPPED', 'SKIP'],
} as const
type Field = keyof typeof COLUMNS

/** The cells of a table row, or undefined for a border or a line outside the table. */
function cells(line: string): string[] | undefined {
  const trimmed = line.trim()
  const sep = trimmed.startsWith('│') ? '│' : trimmed.startsWith('|') ? '|' : undefined
  if (sep === undefined) {
    return undefined
  }
  const parts = trimmed.split(sep).slice(1)
  if (parts.at(-1)?.trim() === '') {
    parts.pop()
  }
  return parts.map((c) => c.trim())
}

function headerIndex(row: readonly string[]): Record<Field, number> | undefined {
  const upper = row.map((c) => c.toUpperCase())
  const index = {} as Record<Field, number>
  for (const field of Object.keys(COLUMNS) as Field[]) {
    const at = upper.findIndex((c) => (COLUMNS[field] as readonly string[]).includes(c))
    if (at < 0) {
      return undefined
    }
    index[field] = at
  }
  return index
}

/** The rules of an `abra recipe lint` table and the verdict: ok unless an error-level rule failed. */
export function parseLintTable(output: string, command = 'abra recipe lint'): LintResult {
  let header: Record<Field, number> | undefined
  const rows: Record<Field, string>[] = []
  for (const line of output.split('\n')) {
    const row = cells(line)
    if (row === undefined) {
      continue
    }
    if (header === undefined) {
      header = headerIndex(row)
      continue
    }
    const pick = (field: Field) => row[header?.[field] ?? -1] ?? ''
    const ref = pick('ref')
    const previous = rows.at(-1)
    if (ref === '' && previous !== undefined) {
      // A wrapped description continues on the next table line with an empty ref cell.
      const more = pick('description')
      previous.description = `${previous.description} ${more}`.trim()
      continue
    }
    rows.push({
      ref,
      description: pick('description'),
      level: pick('level'),
      satisfied: pick('satisfied'),
      skipped: pick('skipped'),
    })
  }
  if (header === undefined || rows.length === 0) {
    throw unexpectedOutput(
      command,
      'no lint table (REF | RULE | SEVERITY | SATISFIED | SKIPPED)',
      output,
    )
  }
  const rules = rows.map((row) => {
    const parsed = LintRuleRowSchema.safeParse(row)
    if (!parsed.success) {
      throw unexpectedOutput(
        command,
        `a lint row cc-ci cannot read (${JSON.stringify(row)}): ${z.prettifyError(parsed.error)}`,
        output,
      )
    }
    return parsed.data
  })
  return { ok: lintOk(rules), rules }
}
