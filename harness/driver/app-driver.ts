import type { GrantedAccess } from '../coop/host-access.ts'
/**
 * How an app is deployed. Two implementations hold to this one contract (and one conformance
 * suite): `abra` drives the real abra CLI, `swarm` deploys straight onto Docker Swarm following
 * abra's conventions.
 */
export interface AppRef {
  recipe: string
  /** The app's name and domain, e.g. `stat-1a2b3c.ccci.localhost`. */
  domain: string
  /** `domain` with dots as underscores: the Docker stack namespace. */
  stack: string
  server: string
  /** The recipe checkout the driver deploys from. */
  recipeDir: string
  /** `<ABRA_DIR>/servers/<server>/<domain>.env`. */
  envFile: string
}

export interface NewAppOptions {
  /** Check the recipe out at this published version first; omitted with `chaos`. */
  version?: string
  chaos?: boolean
  /** Values written into the app env after templating `.env.sample`. */
  env?: Record<string, string>
}

export interface DeployOptions {
  /** Deploy this published version (the driver checks it out). */
  version?: string
  /** Deploy the working tree as it is, stamping the chaos labels with its commit. */
  chaos?: boolean
  /** Convergence deadline; defaults to the recipe's `coop-cloud.<stack>.timeout` label, else 300 s. */
  timeoutMs?: number
  /** Stops waiting for convergence when the run is interrupted. */
  signal?: AbortSignal
}

export interface ServiceState {
  /** Service name within the stack, e.g. `app`. */
  service: string
  image: string
  desired: number
  running: number
  /** A one-line summary of what its newest task is doing. */
  status: string
}

/** What the deployment says about itself (abra's labels on the `app` service). */
export interface DeployedState {
  deployed: boolean
  version: string | undefined
  chaos: boolean
  chaosVersion: string | undefined
  images: Record<string, string>
}

export interface DeployResult extends DeployedState {
  durationMs: number
  /** Host access the recipe's cc-ci config granted this deploy (bind mounts, the Docker socket...). */
  hostAccess: GrantedAccess[]
}

export interface BackupArtifact {
  id: string
  /** Where the artifact lives (a file for the swarm driver). */
  location: string
  sizeBytes: number
  /** Files in the artifact, relative to their volume: `<volume>/<path>`. */
  files: string[]
  volumes: string[]
  /** The backup plan's warnings when it was taken: labels that had no effect or are unknown. */
  warnings: string[]
}

/** One volume a backup takes, as the backupbot labels select it. */
export interface BackupVolume {
  /** The compose key, e.g. `db-data` (the Docker volume name without `<stack>_`). */
  key: string
  /** The Docker volume name. */
  volume: string
  /** The whole volume, or these paths relative to its root. */
  paths: string[] | 'all'
}

/** What a backup of the deployed app takes, per the backupbot labels of what is deployed now. */
export interface AppBackupPlan {
  /** Some deployed service says `backupbot.backup=true` (false when nothing is deployed). */
  capable: boolean
  /** The services saying `backupbot.backup=true` (names without the stack prefix), ordered by name. */
  services: string[]
  /** Every volume a backup takes once (all the stack mounts unless excluded), ordered by key. */
  volumes: BackupVolume[]
  /** Labels that had no effect or that cc-ci does not know (docs/backup.md). */
  warnings: string[]
}

export interface ExecResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface LintRule {
  ref: string
  level: 'warn' | 'error'
  description: string
  satisfied: boolean
  skipped: boolean
}

export interface LintResult {
  ok: boolean
  rules: LintRule[]
}

export interface UndeployOptions {
  /** The app's data is thrown away with it: no graceful stop is owed to its containers. */
  discard?: boolean
}

export interface AppDriver {
  readonly name: 'swarm' | 'abra'
  /** Whether calls on one app may overlap (the teardown then removes its objects at once). */
  readonly concurrentCalls: boolean
  newApp(app: AppRef, options: NewAppOptions): Promise<void>
  /** Generates every secret the recipe declares (abra's `length=` modifiers honoured); returns their names. */
  generateSecrets(app: AppRef): Promise<string[]>
  insertSecret(app: AppRef, name: string, version: string, value: string): Promise<void>
  deploy(app: AppRef, options: DeployOptions): Promise<DeployResult>
  /**
   * Removes the app's stack and waits until its services and containers are gone. With `discard`
   * (the run's teardown: the data goes with the run) the containers are removed at once instead
   * of waiting for Swarm to stop each task, and the stack's networks are left for Docker to
   * remove (the teardown's leftover check waits for them).
   */
  undeploy(app: AppRef, options?: UndeployOptions): Promise<void>
  removeVolumes(app: AppRef): Promise<string[]>
  removeSecrets(app: AppRef): Promise<string[]>
  removeEnv(app: AppRef): Promise<void>
  backup(app: AppRef): Promise<BackupArtifact>
  restore(app: AppRef, artifactId: string): Promise<void>
  /** The backup plan of what is deployed (the backupbot labels); throws on labels that make no sense. */
  backupPlan(app: AppRef): Promise<AppBackupPlan>
  /**
   * A file in one of the app's volumes, named by its compose key (`BackupVolume.key`) and a path
   * relative to the volume root; undefined when the file does not exist.
   */
  readVolumeFile(app: AppRef, volume: string, path: string): Promise<string | undefined>
  /** Writes small files (path relative to the volume root: content) into one of the app's volumes. */
  writeVolumeFiles(app: AppRef, volume: string, files: Record<string, string>): Promise<void>
  ps(app: AppRef): Promise<ServiceState[]>
  logs(app: AppRef, service: string, lines?: number): Promise<string>
  run(app: AppRef, service: string, command: string[], timeoutMs?: number): Promise<ExecResult>
  state(app: AppRef): Promise<DeployedState>
  lint(app: AppRef): Promise<LintResult>
}
