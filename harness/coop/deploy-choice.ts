import type { AppEnv } from './env-file.ts'
import { pinnedVersion } from './recipe-type.ts'

/** What a deploy deploys, decided as abra decides it. */
export interface DeployChoice {
  /** The working tree as it is (labelled with its commit), not a published version. */
  chaos: boolean
  /** The published version to deploy: the one asked for, else the one pinned in the env. */
  version: string | undefined
  /** The version the env pins (`TYPE=` or `RECIPE=` `<recipe>:<version>`), if any. */
  pinned: string | undefined
}

/** What the driver knows of the app beyond its env. */
export interface DeployHistory {
  /**
   * The app was created with `app new --chaos`: without an explicit version it is deployed with
   * `--chaos`, whatever abra wrote into the env (it may pin a version there).
   */
  createdChaos?: boolean
}

/**
 * An explicit version, else chaos for an app created with `--chaos`, else the version pinned in
 * the app env (`TYPE=` or `RECIPE=` `<recipe>:<version>`), else chaos: the working tree.
 * `chaos: true` always deploys the tree.
 */
export function deployChoice(
  options: { version?: string; chaos?: boolean },
  env: Pick<AppEnv, 'values'>,
  history: DeployHistory = {},
): DeployChoice {
  const pinned = pinnedVersion(env.values)
  const chaos =
    options.chaos === true ||
    (options.version === undefined && (history.createdChaos === true || pinned === undefined))
  return { chaos, version: chaos ? undefined : (options.version ?? pinned), pinned }
}
