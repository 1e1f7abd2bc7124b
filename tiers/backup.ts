import type { TierOp } from './tier-op.ts'

/** Backup: one backup of the deployed app, following its backupbot labels. */
export const backupOp: TierOp = async ({ app, driver, log }) => {
  log.step(`backing up ${app.domain}`)
  const artifact = await driver.backup(app)
  log.info(
    `backup ${artifact.id}: ${artifact.files.length} file(s), ${artifact.sizeBytes} bytes, volumes ${artifact.volumes.join(', ') || 'none'}`,
  )
  return { artifact }
}
