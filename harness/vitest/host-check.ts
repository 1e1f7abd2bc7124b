import { loadSettings, type Settings } from '../config/settings.ts'
import type { HostStatus } from '../host/local-host.ts'
import { projectFilters } from './project-filter.ts'

/** Where the config leaves the host check it started, for the run's preflight in the same process. */
const STARTED = Symbol.for('cc-ci.host-check')

type Holder = { [STARTED]?: Promise<HostStatus> }

function check(settings: Settings): Promise<HostStatus> {
  return import('../host/local-host.ts').then((host) => host.hostStatus(settings))
}

/**
 * Starts the host check of a run (`vitest run --project ...`) first thing: it returns once the
 * check's requests are on their way, so that Docker answers them while the config loads the rest
 * of the harness, fetches the source and Vitest creates its projects, which need nothing of it.
 * Only the preflight (`hostCheck`) reads it; a config that fails later (or selects no single
 * recipe) leaves it unread, and its failure unreported.
 */
export async function startHostCheck(argv: readonly string[]): Promise<void> {
  if (!argv.includes('run') || projectFilters(argv).length === 0) {
    return
  }
  let settings: Settings
  try {
    settings = loadSettings()
  } catch {
    return // the config reports bad settings itself, with what to do
  }
  // Loaded first, so that the check's requests are on their way when this returns.
  await import('../host/local-host.ts')
  const started = check(settings)
  started.catch(() => undefined)
  ;(globalThis as Holder)[STARTED] = started
}

/** The host check the config started, taken once; or a new one. */
export function hostCheck(settings: Settings): Promise<HostStatus> {
  const holder = globalThis as Holder
  const started = holder[STARTED]
  delete holder[STARTED]
  return started ?? check(settings)
}
