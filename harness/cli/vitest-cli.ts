import { join } from 'node:path'
import type { Settings } from '../config/settings.ts'
import { runAttached } from '../process/index.ts'

/** Runs the Vitest CLI (this Node, this checkout) attached to the terminal; resolves with its exit code. */
export function runVitest(
  settings: Settings,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<number> {
  return runAttached(
    process.execPath,
    [join(settings.root, 'node_modules', 'vitest', 'vitest.mjs'), ...args],
    {
      cwd: settings.root,
      env: { ...process.env, ...env },
    },
  )
}
