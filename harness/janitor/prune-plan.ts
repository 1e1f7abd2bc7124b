/** What the prune policy decides on, gathered by `ccci prune`. */
export interface PruneInput {
  /** Used share of the filesystem holding Docker's data, 0-100. */
  usedPercent: number
  thresholdPercent: number
  /** Runs with a live lease. */
  liveRuns: readonly string[]
  /** Services still converging (an update in progress, or fewer tasks running than desired). */
  converging: readonly string[]
  dangling: readonly { id: string; createdMs: number; sizeBytes: number }[]
  /** Image ids some container (running or stopped) was created from. */
  inUse: ReadonlySet<string>
  nowMs: number
}

export type PrunePlan =
  | { prune: false; reason: string }
  | { prune: true; reason: string; images: { id: string; sizeBytes: number }[]; cacheHours: number }

const DAY_MS = 86_400_000

/**
 * The prune policy, pure: reclaim disk only under pressure, never while a run is live or a service
 * converges; then only dangling images no container uses, built more than a day ago, and build
 * cache unused for a day. Never `--all`, never volumes, never a tagged image (what canonicals and
 * runs deploy is tagged; a rebuilt tag's old image stays while a container uses it).
 */
export function prunePlan(input: PruneInput): PrunePlan {
  const used = `${input.usedPercent.toFixed(0)}% used`
  if (input.usedPercent < input.thresholdPercent) {
    return {
      prune: false,
      reason: `no disk pressure: ${used}, under the ${input.thresholdPercent}% threshold`,
    }
  }
  if (input.liveRuns.length > 0) {
    return { prune: false, reason: `${used}, but run(s) ${input.liveRuns.join(', ')} are live` }
  }
  if (input.converging.length > 0) {
    return {
      prune: false,
      reason: `${used}, but service(s) ${input.converging.join(', ')} are converging`,
    }
  }
  const images = input.dangling
    .filter((i) => !input.inUse.has(i.id) && input.nowMs - i.createdMs > DAY_MS)
    .map(({ id, sizeBytes }) => ({ id, sizeBytes }))
  return {
    prune: true,
    reason: `${used}, at or over the ${input.thresholdPercent}% threshold`,
    images,
    cacheHours: 24,
  }
}
