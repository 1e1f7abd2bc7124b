import { ccciRun, type CcciRunInput } from './ccci-run.ts'

/**
 * The naive harness: each tier deploys and tears down an app of its own. Each step is its own
 * cc-ci run (its own process, deploy, teardown). Restore cannot run without a backup of the same
 * deployment, so the naive restore step is backup + restore; the backup tier thus runs twice,
 * as it would in a harness without shared state.
 */
export const NAIVE_STEPS: Record<string, string[]> = {
  install: ['install'],
  upgrade: ['upgrade'],
  backup: ['backup'],
  'backup+restore': ['backup', 'restore'],
  custom: ['custom'],
}

export interface NaiveSample {
  totalMs: number
  steps: Record<string, number>
  requests: number
}

export async function naiveHarness(
  recipe: string,
  input: Omit<CcciRunInput, 'projects' | 'pr'>,
  nextPr: () => string,
): Promise<NaiveSample> {
  const sample: NaiveSample = { totalMs: 0, steps: {}, requests: 0 }
  for (const [step, tiers] of Object.entries(NAIVE_STEPS)) {
    const run = await ccciRun({
      ...input,
      projects: tiers.map((tier) => `${recipe} (${tier})`),
      pr: nextPr(),
    })
    sample.steps[step] = run.wallMs
    sample.totalMs += run.wallMs
    sample.requests += run.requests
  }
  return sample
}
