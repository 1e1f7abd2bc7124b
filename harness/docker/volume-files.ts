import { CcciError, tail } from '../errors.ts'
import { execInContainer } from './containers.ts'
import { withVolumeHelper, type HelperApp, type VolumeHelperOptions } from './volume-helper.ts'

/**
 * Small files written into, or read from, one of an app's volumes through a short-lived helper
 * container: no shell is needed in the app's own image. Used for data markers. `name` is relative
 * to the volume root (its folder must exist).
 */
export async function writeVolumeFiles(
  app: HelperApp,
  volume: { key: string; volume: string },
  files: Record<string, string>,
  options: VolumeHelperOptions,
): Promise<void> {
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

/** The content of a file at the root of a volume, or undefined when it does not exist. */
export async function readVolumeFile(
  app: HelperApp,
  volume: { key: string; volume: string },
  name: string,
  options: VolumeHelperOptions,
): Promise<string | undefined> {
  return withVolumeHelper(app, 'files', [volume], options, async (helper) => {
    const result = await execInContainer(
      helper.id,
      ['sh', '-c', 'test -f "/dst/$1/$2" && cat "/dst/$1/$2"', 'sh', volume.key, name],
      { timeoutMs: 30_000 },
    )
    return result.exitCode === 0 ? result.stdout : undefined
  })
}
