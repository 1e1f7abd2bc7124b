import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { CcciError } from '../errors.ts'
import { withLock } from '../files/file-lock.ts'
import { processAlive, processStartTime } from './process-alive.ts'

/**
 * A run's lease: written before the run creates anything, removed after its teardown. A lease
 * whose process is gone marks an orphan for the janitor.
 */
const LeaseSchema = z.object({
  runId: z.string(),
  pid: z.number(),
  pidStart: z.string().optional(),
  recipe: z.string(),
  domain: z.string(),
  stack: z.string(),
  runDir: z.string(),
  envFile: z.string(),
  createdAt: z.string(),
})
export type Lease = z.infer<typeof LeaseSchema>

function leasesDir(home: string): string {
  return join(home, 'leases')
}

export function readLeases(home: string): Lease[] {
  const dir = leasesDir(home)
  if (!existsSync(dir)) {
    return []
  }
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      try {
        return [LeaseSchema.parse(JSON.parse(readFileSync(join(dir, name), 'utf8')))]
      } catch {
        return []
      }
    })
}

export function leaseAlive(lease: Lease): boolean {
  return processAlive(lease.pid, lease.pidStart)
}

/** Takes the lease for a run; refuses when a live run holds the same domain. */
export async function acquireLease(
  home: string,
  lease: Omit<Lease, 'pid' | 'pidStart' | 'createdAt'>,
): Promise<Lease> {
  const dir = leasesDir(home)
  mkdirSync(dir, { recursive: true })
  return withLock(join(dir, '.lock'), () => {
    const holder = readLeases(home).find((l) => l.domain === lease.domain && leaseAlive(l))
    if (holder !== undefined) {
      throw new CcciError(
        'CCCI_DOMAIN_BUSY',
        `run ${holder.runId} (pid ${holder.pid}) is already testing ${lease.domain}`,
        {
          hint: 'wait for that run to finish; the same recipe, PR and ref share one domain',
        },
      )
    }
    const full: Lease = {
      ...lease,
      pid: process.pid,
      pidStart: processStartTime(process.pid),
      createdAt: new Date().toISOString(),
    }
    writeFileSync(join(dir, `${lease.runId}.json`), `${JSON.stringify(full, null, 2)}\n`)
    return Promise.resolve(full)
  })
}

export function releaseLease(home: string, runId: string): void {
  rmSync(join(leasesDir(home), `${runId}.json`), { force: true })
}
