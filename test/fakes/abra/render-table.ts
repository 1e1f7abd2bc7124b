import type { LintResult } from '../../../harness/driver/app-driver.ts'
import { LINT_RULES } from '../../../harness/coop/lint.ts'

/** A box-drawn table as abra's cobra-era formatter (lipgloss) prints one: `┌─┬─┐ │ a │ b │`. */
export function renderTable(headers: readonly string[], rows: readonly string[][]): string {
  const width = (s: string) => [...s].length
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))))
  const line = (left: string, mid: string, right: string) =>
    `${left}${widths.map((w) => '─'.repeat(w + 2)).join(mid)}${right}`
  const row = (cells: readonly string[]) =>
    `│${widths.map((w, i) => ` ${(cells[i] ?? '').padEnd(w - width(cells[i] ?? '') + (cells[i] ?? '').length)} `).join('│')}│`
  return [
    line('┌', '┬', '┐'),
    row(headers),
    line('├', '┼', '┤'),
    ...rows.map(row),
    line('└', '┴', '┘'),
  ].join('\n')
}

const mark = (yes: boolean) => (yes ? '✅' : '❌')

/** `abra recipe lint` output for a lint result, shaped as test/fixtures/abra/recipe-lint-*.txt. */
export function renderLintOutput(recipe: string, result: LintResult): string {
  const rows = result.rules.map((rule) => [
    rule.ref,
    rule.description,
    rule.level,
    mark(rule.satisfied),
    mark(rule.skipped),
    rule.satisfied || rule.skipped
      ? '-'
      : (LINT_RULES.find((spec) => spec.ref === rule.ref)?.resolve ?? '-'),
  ])
  const table = renderTable(['REF', 'RULE', 'SEVERITY', 'SATISFIED', 'SKIPPED', 'RESOLVE'], rows)
  return result.ok ? table : `${table}\nWARN critical errors present in ${recipe} config`
}
