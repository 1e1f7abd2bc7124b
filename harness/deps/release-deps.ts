import type { Settings } from '../config/settings.ts'
import { tryReadState } from '../run/state.ts'
import { DEPS_JOURNAL, dependencyProvider } from './provision-deps.ts'
import type { Dependency } from './dependency-port.ts'

function journalOf(runDir: string): Record<string, unknown> {
  const journal = tryReadState(runDir)?.data[DEPS_JOURNAL]
  return typeof journal === 'object' && journal !== null ? (journal as Record<string, unknown>) : {}
}

/** Whether the run recorded any dependency resource (the teardown step runs only then). */
export function hasDependencies(runDir: string): boolean {
  return Object.keys(journalOf(runDir)).length > 0
}

/**
 * Teardown step "dependencies": releases what each dependency provisioned for the run (its
 * realm), from the journal in the run's state. Idempotent: a realm already gone is fine.
 */
export async function releaseDependencies(settings: Settings, runDir: string): Promise<string> {
  const released: string[] = []
  for (const [name, entry] of Object.entries(journalOf(runDir))) {
    released.push(await dependencyProvider(name as Dependency, settings).release(entry))
  }
  return released.join(', ')
}
