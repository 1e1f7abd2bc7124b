import { CcciError } from '../harness/errors.ts'

/** A lifecycle case: a fixture recipe (test/fixtures/recipes/<recipe>) run by the floor and by cc-ci. */
export interface BenchCase {
  /** The fixture's folder and its Vitest project (config in test/fixtures/config/<recipe>). */
  recipe: string
  /** What the recipe is, for the table. */
  shape: string
  /** Also run the naive harness (a deploy per tier) on it. */
  naive: boolean
  /** Issue 18's target for its cold run / floor. */
  target: number
}

export const BENCH_CASES: readonly BenchCase[] = [
  {
    recipe: 'tiny-html',
    shape: 'one busybox service, a volume, a secret',
    naive: true,
    target: 1.5,
  },
  {
    recipe: 'bench-pair',
    shape: 'app + db, healthchecks, stop-first image change, pre-hook, two volumes',
    naive: false,
    target: 1.15,
  },
]

/** `BENCH_CASES=tiny-html,bench-pair` (default: all), in the order of {@link BENCH_CASES}. */
export function selectCases(value: string | undefined): BenchCase[] {
  if (value === undefined || value.trim() === '') {
    return [...BENCH_CASES]
  }
  const wanted = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const unknown = wanted.filter((name) => !BENCH_CASES.some((c) => c.recipe === name))
  if (unknown.length > 0 || wanted.length === 0) {
    throw new CcciError('CCCI_USAGE', `BENCH_CASES=${value}: no case ${unknown.join(', ')}`, {
      hint: `name cases from: ${BENCH_CASES.map((c) => c.recipe).join(', ')} (comma-separated)`,
    })
  }
  return BENCH_CASES.filter((c) => wanted.includes(c.recipe))
}
