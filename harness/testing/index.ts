import { runContext } from '../vitest/context.ts'
import { appHandle, type AppHandle } from './app-handle.ts'

export type { AppHandle } from './app-handle.ts'
export type { RunContext } from '../vitest/context.ts'

let cached: AppHandle | undefined

/** The deployed app of this run. */
export function useApp(): AppHandle {
  cached ??= appHandle(runContext())
  return cached
}
