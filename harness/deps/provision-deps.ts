import type { Settings } from '../config/settings.ts'
import { CcciError, describeError } from '../errors.ts'
import { leaseAlive, readLeases } from '../janitor/lease.ts'
import type { Logger } from '../log.ts'
import type { RecipeConfig } from '../recipe/recipe-config.ts'
import { updateState } from '../run/state.ts'
import type { RunContext } from '../vitest/context.ts'
import type { DependencyProvider, DependencyRun } from './dependency-port.ts'
import { keycloakProvider } from './keycloak-provider.ts'
import { writeRunDeps, type RunDeps } from './run-deps.ts'

/** State data keys: the journal of each dependency, its warnings, an infrastructure failure. */
export const DEPS_JOURNAL = 'deps.journal'
export const DEPS_WARNINGS = 'deps.warnings'
export const INFRA_FAILURE = 'infra.failure'

export function dependencyProvider(
  name: RecipeConfig['deps'][number],
  settings: Settings,
): DependencyProvider {
  switch (name) {
    case 'keycloak':
      return keycloakProvider(settings)
  }
}

/**
 * Setup step "dependencies", before the deploy: each dependency the recipe declares is made
 * ready (warm, or started cold: said in the result's warnings), then provisions the run's
 * resources, recorded in the run's state before they are created (the teardown and the janitor
 * release them from there). Returns the app env values the dependencies give the app.
 * A failure is recorded as the run's infrastructure failure and thrown: the recipe never ran.
 */
export async function provisionDependencies(
  settings: Settings,
  config: RecipeConfig,
  context: RunContext,
  log: Logger,
): Promise<Record<string, string>> {
  const env: Record<string, string> = {}
  const deps: RunDeps = {}
  const warnings: string[] = []
  const run: DependencyRun = {
    runId: context.runId,
    recipe: context.recipe,
    domain: context.domain,
    url: context.url,
    home: settings.home,
    runDir: context.runDir,
    config,
  }
  for (const name of config.deps) {
    try {
      const provider = dependencyProvider(name, settings)
      const readiness = await provider.ready()
      log.step(readiness.detail)
      if (readiness.state === 'cold') {
        warnings.push(readiness.detail)
      }
      await reapBeforeUse(provider, settings, log)
      updateState(context.runDir, (state) => {
        const journal = (state.data[DEPS_JOURNAL] ?? {}) as Record<string, unknown>
        state.data[DEPS_JOURNAL] = { ...journal, [name]: provider.journal(run) }
      })
      const provided = await provider.provision(run)
      Object.assign(env, provided.env)
      Object.assign(deps, provided.deps)
      writeRunDeps(context.runDir, deps)
      log.info(
        `${name}: provisioned for run ${run.runId} (${Object.keys(provided.env).join(', ')})`,
      )
    } catch (error) {
      const message = `${name}: ${describeError(error)}`
      updateState(context.runDir, (state) => {
        state.data[INFRA_FAILURE] = message
        state.data[DEPS_WARNINGS] = warnings
      })
      throw error instanceof CcciError
        ? error
        : new CcciError('CCCI_DEPS_UNAVAILABLE', message, {
            hint: 'an infrastructure failure, not the recipe: see docs/dependencies.md',
          })
    }
  }
  updateState(context.runDir, (state) => {
    state.data[DEPS_WARNINGS] = warnings
  })
  return env
}

/** What dead runs left with this provider goes before a new run uses it; never fatal. */
async function reapBeforeUse(
  provider: DependencyProvider,
  settings: Settings,
  log: Logger,
): Promise<void> {
  const alive = () =>
    new Set(
      readLeases(settings.home)
        .filter(leaseAlive)
        .map((l) => l.runId),
    )
  try {
    const reaped = await provider.reapDead(alive, { dryRun: false })
    if (reaped.length > 0) {
      log.info(`janitor: removed ${provider.name} resources of dead runs: ${reaped.join(', ')}`)
    }
  } catch (error) {
    log.warn(
      `janitor: could not reap ${provider.name} resources of dead runs: ${describeError(error)}`,
    )
  }
}
