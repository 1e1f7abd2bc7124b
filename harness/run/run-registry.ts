import type { RunContext } from '../vitest/context.ts'

/**
 * The run of this process, shared between the global setup, its teardown and the reporter. They
 * are loaded by different module loaders, so the value lives on `globalThis`.
 */
interface Registry {
  context: RunContext | undefined
  startedAt: string | undefined
  /** Set while setup runs; teardown waits for it so nothing is created behind its back. */
  setup: Promise<unknown> | undefined
  abort: AbortController
  interrupted: 'SIGINT' | 'SIGTERM' | undefined
  /** Why setup stopped before the tiers could run (printable). */
  setupError: string | undefined
}

const KEY = Symbol.for('cc-ci.run-registry')

export function registry(): Registry {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>
  holder[KEY] ??= {
    context: undefined,
    startedAt: undefined,
    setup: undefined,
    abort: new AbortController(),
    interrupted: undefined,
    setupError: undefined,
  }
  return holder[KEY]
}
