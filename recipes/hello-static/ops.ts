import { type AppHandle } from '../../harness/index.ts'

/** Before the backup: sign the guestbook, so the custom tests can check the restore kept it. */
export async function preBackup(app: AppHandle) {
  const entry = `signed before the backup of run ${app.run.runId}`
  const result = await app.exec('app', ['sh', '-c', `echo "${entry}" >> /var/www/guestbook.txt`])
  if (result.exitCode !== 0) {
    throw new Error(`could not sign the guestbook: ${result.stderr}`)
  }
  return { guestbook: entry }
}
