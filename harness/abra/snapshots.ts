import { z } from 'zod'

/** One backup snapshot as `abra app backup snapshots <domain>` lists it. */
export const SnapshotSchema = z.object({
  /** restic's snapshot id (8 or 64 hex digits), or whatever id the backup bot uses. */
  id: z.string().regex(/^\w[\w.:+-]{3,127}$/),
  time: z.string(),
})
export type Snapshot = z.infer<typeof SnapshotSchema>

/** `<ISO date and time> <id> [...]`: backup-bot-two prints each snapshot's time, then its id. */
const SNAPSHOT_LINE = /^\s*(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}\S*)\s+(\S+)/

/**
 * Snapshots listed by `abra app backup snapshots`, in the order printed (UNCONFIRMED shape, see
 * docs/drivers.md: one `<time> <id>` line per snapshot). Other lines (abra's messages, "No
 * Snapshots found") are ignored.
 */
export function parseSnapshots(output: string): Snapshot[] {
  return output.split('\n').flatMap((line) => {
    const match = SNAPSHOT_LINE.exec(line)
    const parsed = SnapshotSchema.safeParse({ time: match?.[1], id: match?.[2] })
    return parsed.success ? [parsed.data] : []
  })
}

/** Whether a failed listing only means there are no snapshots yet. */
export function saysNoSnapshots(output: string): boolean {
  return /no snapshots/i.test(output)
}
