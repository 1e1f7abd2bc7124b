import { enableCompileCache } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { startHostCheck as StartHostCheck } from './harness/vitest/host-check.ts'
import type { rootConfig as RootConfig } from './harness/vitest/root-config.ts'
import type { TIERS as Tiers } from './tiers/index.ts'

/**
 * The contract: `vitest run --project <recipe>` deploys <recipe> once and runs its tiers
 * (install -> upgrade -> backup -> restore -> custom) against that one deployment.
 * `--project '<recipe> (install)'` picks a tier. `./ccci run <recipe>` wraps this.
 *
 * Here the tier definitions (tiers/) meet the harness (harness/vitest/root-config.ts). Node loads
 * both itself, with its type stripping: imported statically, Vite would bundle the whole harness
 * into this config at every start (a second of startup), and load it again beside Node's copy.
 */
// Node keeps what it compiled (type stripping included) for the next start, and tier workers
// inherit the setting; the cache checks every file's content, so a change is never missed.
process.env.NODE_COMPILE_CACHE ??= join(import.meta.dirname, '.ccci', 'node-compile-cache')
enableCompileCache(process.env.NODE_COMPILE_CACHE)

const load = (file: string): Promise<unknown> =>
  import(pathToFileURL(join(import.meta.dirname, file)).href)

// A run's host check first: Docker answers it while the rest loads and the source is fetched.
const { startHostCheck } = (await load('harness/vitest/host-check.ts')) as {
  startHostCheck: typeof StartHostCheck
}
await startHostCheck(process.argv)

const [{ rootConfig }, { TIERS }] = (await Promise.all([
  load('harness/vitest/root-config.ts'),
  load('tiers/index.ts'),
])) as [{ rootConfig: typeof RootConfig }, { TIERS: typeof Tiers }]

export default await rootConfig(TIERS)
