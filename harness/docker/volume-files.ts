import { posix } from 'node:path'
import { packEntries, readFirstEntry } from '../archive/tar.ts'
import { CcciError, describeError, tail } from '../errors.ts'
import {
  containerRunning,
  execInContainer,
  getArchiveUnlessMissing,
  putArchiveUnlessMissing,
} from './containers.ts'
import { findVolumeAccess } from './volume-access.ts'
import { withVolumeHelper, type HelperApp, type VolumeHelperOptions } from './volume-helper.ts'

/**
 * Small files written into, or read from, one of an app's volumes (data markers). `name` is
 * relative to the volume root (its folder must exist). Through Docker's archive API (`docker cp`)
 * on a running container of the app that mounts the volume whole, when there is one: no container
 * is started and the app's image needs no shell. Else, or when that container is removed
 * meanwhile, through a short-lived helper container.
 */

/** The largest file read back (markers are a few bytes). */
export const MAX_VOLUME_FILE_BYTES = 1024 * 1024

export async function writeVolumeFiles(
  app: HelperApp,
  volume: { key: string; volume: string },
  files: Record<string, string>,
  options: VolumeHelperOptions,
): Promise<void> {
  const access = await findVolumeAccess(app.stack, volume.volume, true)
  if (access !== undefined) {
    const tar = packEntries(
      Object.entries(files).map(([name, content]) => ({ type: 'file' as const, name, content })),
    )
    try {
      if (await putArchiveUnlessMissing(access.containerId, access.path, tar)) {
        return
      }
    } catch (error) {
      throw new CcciError('CCCI_VOLUME_WRITE', `could not write into volume ${volume.volume}`, {
        evidence: [{ label: 'docker', text: describeError(error) }],
        hint: 'is the volume full, or does a folder stand where a file goes?',
        cause: error,
      })
    }
    options.log.debug(`container ${access.containerId.slice(0, 12)} went away: using a helper`)
  }
  await withVolumeHelper(app, 'files', [volume], options, async (helper) => {
    for (const [name, content] of Object.entries(files)) {
      const result = await execInContainer(
        helper.id,
        ['sh', '-c', 'printf "%s" "$2" > "/dst/$1/$3"', 'sh', volume.key, content, name],
        { timeoutMs: 30_000 },
      )
      if (result.exitCode !== 0) {
        throw new CcciError(
          'CCCI_VOLUME_WRITE',
          `could not write ${name} into volume ${volume.volume}`,
          {
            evidence: [{ label: 'output', text: tail(result.stderr + result.stdout) }],
            hint: 'is the volume full or read-only?',
          },
        )
      }
    }
  })
}

/** The content of a regular file at the root of a volume, or undefined when there is none. */
export async function readVolumeFile(
  app: HelperApp,
  volume: { key: string; volume: string },
  name: string,
  options: VolumeHelperOptions,
): Promise<string | undefined> {
  const access = await findVolumeAccess(app.stack, volume.volume, false)
  if (access !== undefined) {
    const path = posix.join(access.path, name)
    const stream = await getArchiveUnlessMissing(access.containerId, path)
    if (stream !== undefined) {
      const entry = await readFirstEntry(stream, MAX_VOLUME_FILE_BYTES).catch((error: unknown) => {
        throw new CcciError(
          'CCCI_VOLUME_READ',
          `could not read ${name} from volume ${volume.volume}`,
          {
            evidence: [{ label: 'reading', text: describeError(error) }],
            hint: `cc-ci reads files of at most ${MAX_VOLUME_FILE_BYTES} bytes here; did the app replace ${name}?`,
            cause: error,
          },
        )
      })
      return entry?.content?.toString('utf8')
    }
    // A 404: no such file, unless the container was removed meanwhile (one inspect says which).
    if (await containerRunning(access.containerId).catch(() => false)) {
      return undefined
    }
  }
  return withVolumeHelper(app, 'files', [volume], options, async (helper) => {
    const result = await execInContainer(
      helper.id,
      ['sh', '-c', 'test -f "/dst/$1/$2" && cat "/dst/$1/$2"', 'sh', volume.key, name],
      { timeoutMs: 30_000 },
    )
    return result.exitCode === 0 ? result.stdout : undefined
  })
}
