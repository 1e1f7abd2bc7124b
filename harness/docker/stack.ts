import { runCommand } from '../process/index.ts'

/** How `docker stack deploy` runs: in the recipe folder, with exactly the app's variables. */
export interface StackDeployOptions {
  /** Compose files are read relative to this folder. */
  cwd: string
  /** The only environment the CLI sees (the compose files are interpolated with it). */
  env: Record<string, string>
  timeoutMs?: number
}

/**
 * `docker stack deploy` of compose files (later files override earlier ones). Images are used as
 * the engine has them (`--resolve-image never`), so local and pinned images deploy alike.
 */
export async function deployStack(
  stack: string,
  composeFiles: readonly string[],
  options: StackDeployOptions,
): Promise<void> {
  await runCommand(
    'docker',
    [
      'stack',
      'deploy',
      '--resolve-image',
      'never',
      ...composeFiles.flatMap((f) => ['-c', f]),
      stack,
    ],
    {
      cwd: options.cwd,
      env: options.env,
      cleanEnv: true,
      timeoutMs: options.timeoutMs ?? 300_000,
      hint: 'docker refused the stack; the error above names the offending service or object',
    },
  )
}

/** `docker stack rm`: returns once Docker accepted the removal (tasks may still be stopping). */
export async function removeStack(stack: string): Promise<void> {
  await runCommand('docker', ['stack', 'rm', stack], { timeoutMs: 120_000 })
}
