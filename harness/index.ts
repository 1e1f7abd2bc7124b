/**
 * The public surface of the harness (`@cc-ci/harness`): the one module that tier definitions
 * (`tiers/`), generic suites (`generic/`), recipe configs and overlays (`recipes/`) and a recipe
 * repository's own tests import. Everything else under `harness/` is internal (lint-enforced).
 */

// Recipe configuration (recipes/<recipe>/recipe.ts).
export {
  defineRecipe,
  type ExtraEnvContext,
  type RecipeConfig,
  type RecipeConfigInput,
} from './recipe/recipe-config.ts'

// The deployed app of the run, and what a tier test asserts on it.
export { useApp, type AppHandle, type RunContext } from './testing/index.ts'
export { expectConverged, expectServes } from './testing/assertions.ts'
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
