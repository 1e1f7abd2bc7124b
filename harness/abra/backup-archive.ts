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

/** `[var/lib/docker/]volumes/<volume>/_data[/<path>]`, with or without a leading `/` or `./`. */
const VOLUME_PATH = /^(?:\.?\/)?(?:.*\/)?volumes\/([^/]+)\/_data(?:\/(.*))?$/

/**
 * Reads a backup downloaded with `abra app backup download`: backup-bot-two archives files under
 * their host path `/var/lib/docker/volumes/<volume>/_data/...` (UNCONFIRMED layout, see
 * docs/drivers.md). Entries outside a volume (e.g. secrets) are not counted.
 */
export async function archiveContents(path: string, stack: string): Promise<ArchiveContents> {
  const files = new Set<string>()
  const volumes = new Set<string>()
  for (const entry of await listTarGz(path)) {
    const match = VOLUME_PATH.exec(entry.name.replace(/\/+$/, ''))
    const volume = match?.[1]
    if (volume === undefined) {
      continue
    }
    const key = volumeKey(stack, volume)
    volumes.add(key)
    const rest = match?.[2]
    if (entry.type !== 'directory' && rest !== undefined && rest !== '') {
      files.add(`${key}/${rest}`)
    }
  }
  return {
    files: [...files].sort(),
    volumes: [...volumes].sort(),
    sizeBytes: statSync(path).size,
  }
}
