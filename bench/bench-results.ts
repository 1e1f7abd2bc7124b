import type { MachineInfo } from './machine-info.ts'
import type { Summary } from './summarize.ts'

/** One row of the table: a summary in `unit`, indented `depth` levels under its parent. */
export interface CaseResult extends Summary {
  label: string
  unit: 's' | 'ms' | 'µs' | 'req'
  depth: 0 | 1 | 2
}

/** A ratio of two medians. */
export interface Ratio {
  label: string
  value: number
  /** How it is computed, e.g. `cold.median / floor.median`. */
  formula: string
}

/** What `npm run bench` prints and writes to bench/results/latest.json. */
export interface BenchResults {
  machine: MachineInfo
  repeats: number
  startedAt: string
  durationS: number
  loadAverage: { start: number; end: number }
  cases: Record<string, CaseResult>
  ratios: Record<string, Ratio>
  /** Engine requests of the last cold run, by endpoint, most frequent first. */
  coldRunEndpoints: [string, number][]
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) {
    return '-'
  }
  const abs = Math.abs(value)
  if (abs !== 0 && abs < 0.01) {
    return value.toExponential(1)
  }
  return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 2)
}

/** The table (median, min, max per case), the ratios and the machine, as printed. */
export function formatReport(results: BenchResults): string {
  const rows = Object.values(results.cases).map((c) => [
    `${'  '.repeat(c.depth)}${c.label}`,
    fmt(c.median),
    fmt(c.min),
    fmt(c.max),
    c.unit,
    String(c.n),
  ])
  const header = ['case', 'median', 'min', 'max', 'unit', 'n']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  const m = results.machine
  const ratios = Object.values(results.ratios).map(
    (r) => `  ${r.label.padEnd(44)} ${fmt(r.value).padStart(7)}   (${r.formula})`,
  )
  return [
    `machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}, kernel ${m.kernel}, Docker engine ${m.dockerEngine} (client ${m.dockerClient}), Node ${m.node}`,
    `${results.repeats} repeat(s), ${fmt(results.durationS)} s in all, load average ${fmt(results.loadAverage.start)} at the start, ${fmt(results.loadAverage.end)} at the end`,
    '',
    line(header),
    ...rows.map(line),
    '',
    'ratios (of medians):',
    ...ratios,
    '',
    'Docker Engine requests of the last cold run, by endpoint:',
    ...results.coldRunEndpoints.slice(0, 12).map(([k, v]) => `  ${String(v).padStart(5)}  ${k}`),
    '',
  ].join('\n')
}
