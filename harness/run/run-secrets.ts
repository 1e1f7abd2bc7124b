import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadSecretsFile, registerSecret } from '../redaction/redact.ts'

/**
 * `runDir/redact.json` (0600): every secret value the run created, in any process. Tier workers
 * (an upgrade's new secrets) write it; the main process (teardown, results) reads it to redact.
 */
export function redactFile(runDir: string): string {
  return join(runDir, 'redact.json')
}

/** Creates the run's empty redaction file. */
export function initRunSecrets(runDir: string): void {
  writeFileSync(redactFile(runDir), '[]', { mode: 0o600 })
}

/** Remembers a secret value the run created, in this process and in the run's redaction file. */
export function recordSecret(runDir: string, value: string): void {
  registerSecret(value)
  const file = redactFile(runDir)
  const values = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : []
  writeFileSync(file, JSON.stringify([...values, value]), { mode: 0o600 })
}

/** Redacts, in this process, every value any process of the run recorded. */
export function loadRunSecrets(runDir: string): void {
  loadSecretsFile(redactFile(runDir))
}
