import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { registerSecret } from '../redaction/redact.ts'

/**
 * `runDir/deps.json` (0600): what the run's dependencies provisioned, with the secret values the
 * app and the tiers need (the client secret, the test user's password). The main process writes
 * it in the setup; tier workers read it (and redact its secrets); the run folder goes with it.
 */
export const KeycloakProvisionSchema = z.strictObject({
  realm: z.string(),
  issuer: z.url(),
  internalUrl: z.url(),
  clientId: z.string(),
  clientSecret: z.string(),
  /** The compose secret key the client secret is inserted into. */
  secretKey: z.string(),
  user: z.strictObject({ username: z.string(), password: z.string(), email: z.string() }),
})
export type KeycloakProvision = z.infer<typeof KeycloakProvisionSchema>

export const RunDepsSchema = z.strictObject({ keycloak: KeycloakProvisionSchema.optional() })
export type RunDeps = z.infer<typeof RunDepsSchema>

export function depsFile(runDir: string): string {
  return join(runDir, 'deps.json')
}

export function writeRunDeps(runDir: string, deps: RunDeps): void {
  writeFileSync(depsFile(runDir), `${JSON.stringify(deps)}\n`, { mode: 0o600 })
}

/** The run's provisioned dependencies (empty when it has none); their secrets are redacted here. */
export function readRunDeps(runDir: string): RunDeps {
  const file = depsFile(runDir)
  if (!existsSync(file)) {
    return {}
  }
  const deps = RunDepsSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  if (deps.keycloak !== undefined) {
    registerSecret(deps.keycloak.clientSecret)
    registerSecret(deps.keycloak.user.password)
  }
  return deps
}
