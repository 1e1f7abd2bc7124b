import { readFileSync } from 'node:fs'
import { parseEnvFile } from '../coop/env-file.ts'
import { secretVersionVar } from '../coop/secrets.ts'
import type { AppDriver, AppRef } from '../driver/app-driver.ts'
import { readRunDeps } from './run-deps.ts'

/**
 * What an operator does between `abra app new` and the deploy: inserts the secrets a dependency
 * gave the app (the OIDC client secret) with `abra app secret insert`, at the version the app's
 * env names (`SECRET_<KEY>_VERSION`, default v1). Returns the keys inserted.
 */
export async function insertDependencySecrets(
  driver: AppDriver,
  app: AppRef,
  runDir: string,
): Promise<string[]> {
  const keycloak = readRunDeps(runDir).keycloak
  if (keycloak === undefined) {
    return []
  }
  const env = parseEnvFile(readFileSync(app.envFile, 'utf8'))
  const version = env.values[secretVersionVar(keycloak.secretKey)] ?? 'v1'
  await driver.insertSecret(app, keycloak.secretKey, version, keycloak.clientSecret)
  return [keycloak.secretKey]
}
