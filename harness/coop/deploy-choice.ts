import type { AppEnv } from './env-file.ts'

/** What a deploy deploys, decided as abra decides it. */
export interface DeployChoice {
  /** The working tree as it is (labelled with its commit), not a published version. */
  chaos: boolean
  /** The published version to deploy: the one asked for, else the one pinned in the env. */
  version: string | undefined
  /** The version the env pins (`TYPE=<recipe>:<version>`), if any. */
  pinned: string | undefined
}

/**
 * An explicit version, else the one pinned in the app env (`TYPE=<recipe>:<version>`), else
 * chaos: the working tree. `chaos: true` always deploys the tree.
 */
export function deployChoice(
  options: { version?: string; chaos?: boolean },
  env: Pick<AppEnv, 'values'>,
): DeployChoice {
  const pinned = env.values.TYPE?.split(':')[1]
  const chaos = options.chaos === true || (options.version === undefined && pinned === undefined)
  return { chaos, version: chaos ? undefined : (options.version ?? pinned), pinned }
}
