import { statSync } from 'node:fs'
import { listTarGz } from '../archive/tar.ts'
import { volumeKey } from '../coop/backupbot-labels.ts'

/** What a downloaded backup holds, in the terms of `BackupArtifact`. */
export interface ArchiveContents {
  /** `<volume-key>/<path>` of every file. */
  files: string[]
  /** Volume keys (Docker volume name minus `<stack>_`). */
  volumes: string[]
  sizeBytes: number
}

/**
 * `[<prefix>/]volumes/<volume>[/<rest>]`, with or without a leading `/` or `./`; the prefix is
 * matched lazily, so a folder named `volumes` inside a volume is not taken for the volume root.
 */
const VOLUME_ENTRY = /^(?:\.?\/)?(?:.*?\/)?volumes\/([^/]+)(?:\/(.*))?$/

/** Docker's own folder in a volume's host directory, holding the volume's content. */
const DOCKER_DATA = '_data'

/**
 * The files and volumes of an archive's entries. Two layouts are read, per volume:
 * - the spec's: "each volume MUST be in `/var/lib/docker/volumes/{stack_name}_{volume_name}`"
 *   (docs.coopcloud.tech/specs/backup/spec, Output), the volume's files right below;
 * - the host path: `/var/lib/docker/volumes/<volume>/_data/...`, as restic keeps what
 *   backup-bot-two backs up (UNCONFIRMED, see docs/drivers.md).
 * A volume is read in the host layout when everything of it is under `_data`. Entries outside a
 * volume (e.g. secrets) are not counted. Pure.
 */
export function volumeContents(
  entries: readonly { name: string; type: string }[],
  stack: string,
): { files: string[]; volumes: string[] } {
  const byVolume = new Map<string, { rest: string; isFile: boolean }[]>()
  for (const entry of entries) {
    const match = VOLUME_ENTRY.exec(entry.name.replace(/\/+$/, ''))
    const volume = match?.[1]
    if (volume === undefined) {
      continue
    }
    const list = byVolume.get(volume) ?? []
    list.push({ rest: match?.[2] ?? '', isFile: entry.type !== 'directory' })
    byVolume.set(volume, list)
  }
  const files = new Set<string>()
  for (const [volume, list] of byVolume) {
    const inside = list.filter((e) => e.rest !== '')
    const hostLayout =
      inside.length > 0 &&
      inside.every((e) => e.rest === DOCKER_DATA || e.rest.startsWith(`${DOCKER_DATA}/`))
    const key = volumeKey(stack, volume)
    for (const { rest, isFile } of inside) {
      const path = hostLayout ? rest.slice(DOCKER_DATA.length + 1) : rest
      if (isFile && path !== '') {
        files.add(`${key}/${path}`)
      }
    }
  }
  return {
    files: [...files].sort(),
    volumes: [...byVolume.keys()].map((v) => volumeKey(stack, v)).sort(),
  }
}

/** Reads a backup downloaded with `abra app backup download` (see `volumeContents`). */
export async function archiveContents(path: string, stack: string): Promise<ArchiveContents> {
  return { ...volumeContents(await listTarGz(path), stack), sizeBytes: statSync(path).size }
}
