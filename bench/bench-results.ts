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

/** One phase of a case's cold run next to the floor's phase doing the same Docker work. */
export interface PhaseComparison {
  phase: string
  /** Median seconds of cc-ci's phase. */
  ccci: number
  /** The floor's phase (none: the floor has no such work, counted as 0 s). */
  floorPhase: string | undefined
  floor: number
  /** ccci - floor: what cc-ci adds in this phase. */
  difference: number
}

/** One of issue 18's targets: `value <= limit` passes. */
export interface Target {
  label: string
  value: number
  limit: number
  unit: string
  pass: boolean
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
  /** Per case: cc-ci's phases against the floor's (medians, seconds). */
  phases: Record<string, PhaseComparison[]>
  targets: Target[]
  /** Per case: Engine requests of its last cold run, by endpoint, most frequent first. */
  coldRunEndpoints: Record<string, [string, number][]>
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
  const phaseTables = Object.entries(results.phases).flatMap(([name, phases]) => {
    const cells = phases.map((p) => [
      p.phase,
      fmt(p.ccci),
      p.floorPhase ?? '-',
      p.floorPhase === undefined ? '-' : fmt(p.floor),
      `${p.difference >= 0 ? '+' : ''}${fmt(p.difference)}`,
      p.phase === 'total' ? '' : share(p.difference, phases),
    ])
    const head = ['cc-ci phase', 'cc-ci', 'floor phase', 'floor', 'cc-ci - floor', 'share']
    const w = head.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)))
    const fmtRow = (r: string[]) =>
      r
        .map((cell, i) => (i === 0 || i === 2 ? cell.padEnd(w[i] ?? 0) : cell.padStart(w[i] ?? 0)))
        .join('  ')
        .trimEnd()
    return [
      `${name}: where cc-ci is slower than the floor, phase by phase (medians, s):`,
      `  ${fmtRow(head)}`,
      ...cells.map((r) => `  ${fmtRow(r)}`),
      '',
    ]
  })
  const targets = results.targets.map(
    (t) =>
      `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.label.padEnd(52)} ${fmt(t.value).padStart(7)}${t.unit === '' ? '' : ` ${t.unit}`}  (target <= ${fmt(t.limit)}${t.unit === '' ? '' : ` ${t.unit}`})`,
  )
  const endpoints = Object.entries(results.coldRunEndpoints).flatMap(([name, list]) => [
    `Docker Engine requests of the last ${name} cold run, by endpoint:`,
    ...list.slice(0, 12).map(([k, v]) => `  ${String(v).padStart(5)}  ${k}`),
    '',
  ])
  const m = results.machine
  const ratios = Object.values(results.ratios).map(
    (r) => `  ${r.label.padEnd(50)} ${fmt(r.value).padStart(7)}   (${r.formula})`,
  )
  return [
    `machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}, kernel ${m.kernel}, Docker engine ${m.dockerEngine} (client ${m.dockerClient}), Node ${m.node}`,
    `${results.repeats} repeat(s), ${fmt(results.durationS)} s in all, load average ${fmt(results.loadAverage.start)} at the start, ${fmt(results.loadAverage.end)} at the end`,
    '',
    line(header),
    ...rows.map(line),
    '',
    ...phaseTables,
    'ratios (of medians):',
    ...ratios,
    '',
    "targets (issue 18, on this run's medians):",
    ...targets,
    '',
    ...endpoints,
  ].join('\n')
}

/** A phase's share of what cc-ci adds over the floor in all (the total's difference). */
function share(difference: number, phases: readonly PhaseComparison[]): string {
  const total = phases.find((p) => p.phase === 'total')?.difference ?? NaN
  const value = (difference / total) * 100
  return Number.isFinite(value) ? `${value.toFixed(0)}%` : '-'
}
