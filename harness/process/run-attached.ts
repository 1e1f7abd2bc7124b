import { loadExeca } from './run-command.ts'

/**
 * Runs a child with this terminal (inherited stdio) in its own process group, forwarding SIGINT
 * and SIGTERM exactly once each, and resolves with its exit code (128 + signal if killed).
 */
export async function runAttached(
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined> },
): Promise<number> {
  const { execa } = await loadExeca()
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: 'inherit',
    detached: true,
    reject: false,
    cleanup: true,
  })
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal)
  }
  const onInt = forward('SIGINT')
  const onTerm = forward('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  try {
    const result = await child
    if (result.exitCode !== undefined) {
      return result.exitCode
    }
    return result.signal === 'SIGINT' ? 130 : result.signal === 'SIGTERM' ? 143 : 1
  } finally {
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
  }
}
