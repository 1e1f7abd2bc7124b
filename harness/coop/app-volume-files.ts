import { readVolumeFile, writeVolumeFiles, type VolumeHelperOptions } from '../docker/index.ts'
import type { AppRef } from '../driver/app-driver.ts'
import { mountedVolume } from './deployed-backup-plan.ts'

/**
 * Files in an app's volumes named by compose key, as both drivers read and write them
 * (`AppDriver.readVolumeFile` / `writeVolumeFiles`): through the volume helper, whichever tool
 * deployed the app.
 */

export async function readAppVolumeFile(
  app: AppRef,
  key: string,
  path: string,
  options: VolumeHelperOptions,
): Promise<string | undefined> {
  return readVolumeFile(app, await mountedVolume(app, key), path, options)
}

export async function writeAppVolumeFiles(
  app: AppRef,
  key: string,
  files: Record<string, string>,
  options: VolumeHelperOptions,
): Promise<void> {
  await writeVolumeFiles(app, await mountedVolume(app, key), files, options)
}
