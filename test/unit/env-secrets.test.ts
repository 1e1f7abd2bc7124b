import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { redact } from '../../harness/redaction/redact.ts'
import { initRunSecrets, recordEnvSecrets, redactFile } from '../../harness/run/run-secrets.ts'

test("a recipe's own secret-named env values are redacted from then on, once each", () => {
  const runDir = mkdtempSync(join(tmpdir(), 'ccci-env-secrets-'))
  try {
    const canary = `canary-${Date.now()}-token`
    const envFile = join(runDir, 'app.env')
    writeFileSync(
      envFile,
      [
        'DOMAIN=app.example',
        `API_TOKEN=${canary}`,
        'DB_PASSWORD_FILE=/run/secrets/db_password',
        'SECRET_DB_PASSWORD_VERSION=v1',
        '',
      ].join('\n'),
    )
    initRunSecrets(runDir)
    expect(redact(`the app said ${canary}`)).toContain(canary)
    recordEnvSecrets(runDir, envFile)
    recordEnvSecrets(runDir, envFile)
    expect(redact(`the app said ${canary}`)).not.toContain(canary)
    expect(JSON.parse(readFileSync(redactFile(runDir), 'utf8'))).toEqual([canary])
    // No env file (a run that stopped before its app existed): nothing happens.
    recordEnvSecrets(runDir, join(runDir, 'missing.env'))
  } finally {
    rmSync(runDir, { recursive: true, force: true })
  }
})
