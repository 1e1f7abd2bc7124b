import type { Reporter, TestModule } from 'vitest/node'
import type { ReliabilityFigure } from './reliability.ts'

interface Row {
  kind: string
  name: string
  state: string
  figure: ReliabilityFigure | undefined
}

/**
 * Prints the fault and bad-input suite (test/reliability/) as a table and one totals line, e.g.
 * `faults: 24 cells, 0 with residue · bad inputs: 41, 41 clear errors, 0 with residue · foreign
 * resources touched: 0 · canary leaks: 0`. Prints nothing when no reliability test ran.
 */
export class ReliabilityReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows: Row[] = []
    for (const module of testModules) {
      if (module.project.name !== 'reliability') {
        continue
      }
      for (const test of module.children.allTests()) {
        if (test.result().state === 'skipped') {
          continue
        }
        const figure = test.meta().reliability
        rows.push({
          kind: figure?.kind ?? module.moduleId.split('/').at(-1)?.replace('.test.ts', '') ?? '',
          name: test.fullName,
          state: test.result().state,
          figure,
        })
      }
    }
    if (rows.length > 0) {
      process.stdout.write(`${reliabilityTable(rows)}\n${reliabilityTotals(rows)}\n`)
    }
  }
}

function detail(figure: ReliabilityFigure | undefined): string {
  switch (figure?.kind) {
    case undefined:
      return 'not measured'
    case 'fault':
      return figure.residue.length === 0 ? 'nothing left' : `left ${figure.residue.join(', ')}`
    case 'bad input':
      return figure.residue.length === 0
        ? figure.outcome
        : `${figure.outcome}; left ${figure.residue.join(', ')}`
    case 'foreign':
      return figure.touched.length === 0 ? 'untouched' : `touched ${figure.touched.join(', ')}`
    case 'canary':
      return figure.leaks.length === 0
        ? `${figure.channels} channels, no leak`
        : `leaked into ${figure.leaks.join(', ')}`
  }
}

export function reliabilityTable(rows: readonly Row[]): string {
  const kindWidth = Math.max(...rows.map((r) => r.kind.length))
  return [
    'reliability (test/reliability/)',
    ...rows.map(
      (r) =>
        `  ${r.state === 'passed' ? 'ok  ' : 'FAIL'} ${r.kind.padEnd(kindWidth)}  ${r.name}: ${detail(r.figure)}`,
    ),
  ].join('\n')
}

export function reliabilityTotals(rows: readonly Row[]): string {
  const figures = rows.map((r) => r.figure)
  const of = <K extends ReliabilityFigure['kind']>(kind: K) =>
    figures.filter((f): f is Extract<ReliabilityFigure, { kind: K }> => f?.kind === kind)
  const faults = of('fault')
  const inputs = of('bad input')
  const count = (n: number, what: string) => `${n} ${what}`
  const parts = [
    `faults: ${count(faults.length, 'cells')}, ${faults.filter((f) => f.residue.length > 0).length} with residue`,
    `bad inputs: ${inputs.length}, ${inputs.filter((f) => f.outcome === 'clear error').length} clear errors, ${inputs.filter((f) => f.outcome === 'handled safely').length} handled safely, ${inputs.filter((f) => f.residue.length > 0).length} with residue`,
    `foreign resources touched: ${of('foreign').reduce((n, f) => n + f.touched.length, 0)}`,
    `canary leaks: ${of('canary').reduce((n, f) => n + f.leaks.length, 0)}`,
  ]
  const unmeasured = rows.filter((r) => r.figure === undefined).length
  if (unmeasured > 0) {
    parts.push(`not measured: ${unmeasured}`)
  }
  return parts.join(' · ')
}
