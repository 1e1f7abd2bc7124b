import { CcciError } from '../errors.ts'
import { runContext } from '../vitest/context.ts'
import { readRunDeps, type KeycloakProvision } from './run-deps.ts'

/**
 * In a tier file: the run's Keycloak realm (issuer, client, the test user and its password),
 * for a browser flow that signs in. Its secrets are redacted from this process's output.
 */
export function useKeycloak(): KeycloakProvision {
  const run = runContext()
  const keycloak = readRunDeps(run.runDir).keycloak
  if (keycloak === undefined) {
    throw new CcciError(
      'CCCI_DEPS_NOT_DECLARED',
      `useKeycloak(): ${run.recipe} has no keycloak realm in this run`,
      { hint: `add deps: ['keycloak'] to the recipe's recipe.ts (docs/dependencies.md)` },
    )
  }
  return keycloak
}
