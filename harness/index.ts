/**
 * The public surface of the harness (`@cc-ci/harness`): the one module that tier definitions
 * (`tiers/`), generic suites (`generic/`), recipe configs and overlays (`recipes/`) and a recipe
 * repository's own tests import. Everything else under `harness/` is internal (lint-enforced).
 */

// Recipe configuration (recipes/<recipe>/recipe.ts, which may import harness/recipe.ts alone).
export * from './recipe.ts'

// The deployed app of the run, and what a tier test asserts on it.
export { useApp, type AppHandle, type RunContext } from './testing/index.ts'
export { expectConverged, expectServes } from './testing/assertions.ts'
export { useKeycloak } from './deps/use-keycloak.ts'
export type { KeycloakProvision } from './deps/run-deps.ts'
export { runContext, tierContext, type TierProvided } from './vitest/context.ts'
export type {
  AppBackupPlan,
  AppRef,
  BackupArtifact,
  BackupVolume,
  DeployedState,
} from './driver/app-driver.ts'

// The generic data-integrity proof (backup and restore tiers).
export {
  isMarker,
  MARKER_FILE,
  MUTATION_FILE,
  readMarkerFile,
  type Marker,
  type MarkerRecord,
} from './run/data-marker.ts'

// Browser flows: Debian's Chromium with the host's certificate pinned; Playwright's web-first
// `expect` as `webExpect` (Vitest's `expect` stays for plain values).
export {
  appTarget,
  expect as webExpect,
  findSpecFiles,
  runPlaywrightSuite,
  suiteFailure,
  withPage,
  type BrowserContext,
  type Locator,
  type Page,
} from './browser/index.ts'

// Errors with evidence and a "What to do" line.
export { CcciError } from './errors.ts'

// Tier definitions (tiers/) and the runner they plug into (tiers/run-setup.ts, tiers/tier-setup.ts).
export {
  defineTier,
  TierSkip,
  type RecipeHookName,
  type TierDefinition,
  type TierOperation,
  type TierOperationContext,
} from './run/tier-definition.ts'
export type { Tier } from './run/tier-names.ts'
export { createGlobalSetup } from './vitest/global-setup.ts'
export { installTierGate } from './vitest/tier-setup.ts'

// What tier operations do to the one deployment.
export { refuseFailedLint } from './coop/lint-gate.ts'
export { refuseHostAccess } from './coop/host-access-check.ts'
export type { GrantedAccess, HostAccessGrant } from './coop/host-access.ts'
export type { ErrorData } from './error-data.ts'
export { addNewSampleKeys } from './coop/env-upgrade.ts'
export { checkout } from './git/index.ts'
export { syncLocalProxy } from './proxy/proxy-sync.ts'
export { runInstallSteps } from './run/hooks.ts'
export { insertDependencySecrets } from './deps/dep-secrets.ts'
export { reattachCanonical } from './warm/reattach.ts'
export { throwIfInterrupted } from './run/interrupted.ts'
export type { RunLint } from './run/lint-head.ts'
export { mutateAfterBackup, seedMarker } from './run/data-marker.ts'
