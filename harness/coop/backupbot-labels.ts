import { posix } from 'node:path'
import { CcciError } from '../errors.ts'

/**
 * The backupbot labels of backup-bot-two (git.coopcloud.tech/coop-cloud/backup-bot-two): which
 * services of a stack are backed up, their hooks, and which volume paths a backup holds. Pure:
 * no Docker here.
 */
const BACKUPBOT = {
  backup: 'backupbot.backup',
  backupPreHook: 'backupbot.backup.pre-hook',
  backupPostHook: 'backupbot.backup.post-hook',
  restorePreHook: 'backupbot.restore.pre-hook',
  restorePostHook: 'backupbot.restore.post-hook',
  /** `backupbot.backup.volumes.<volume>=false` and `backupbot.backup.volumes.<volume>.path=a,b`. */
  volumesPrefix: 'backupbot.backup.volumes.',
  /** The pre-spec form: absolute paths inside the container, comma separated. */
  legacyPath: 'backupbot.backup.path',
} as const

/** A service of a stack as the backup plan sees it. */
export interface BackupServiceInput {
  /** Service name without the stack prefix, e.g. `db`. */
  name: string
  /** Its deploy labels. */
  labels: Record<string, string>
  /** Its named-volume mounts: the Docker volume name and where it is mounted. */
  mounts: readonly { volume: string; target: string }[]
}

/** The whole volume, or these paths relative to its root (sorted, none inside another). */
export type VolumePaths = string[] | 'all'

/** One volume of a backup. */
export interface VolumeSelection {
  /** The compose key: the Docker volume name minus the `<stack>_` prefix. */
  key: string
  /** The Docker volume name. */
  volume: string
  paths: VolumePaths
}

/** Commands run with `sh -c` inside a running container of the service. */
export interface BackupHooks {
  backupPre?: string
  backupPost?: string
  restorePre?: string
  restorePost?: string
}

/** One backed-up service: its hooks and the volumes its labels select. */
export interface ServiceBackup {
  service: string
  hooks: BackupHooks
  volumes: VolumeSelection[]
}

export interface BackupPlan {
  /** Backed-up services, ordered by name. */
  services: ServiceBackup[]
  /** Every selected volume once, ordered by key; services sharing a volume have their paths merged. */
  volumes: VolumeSelection[]
  /** Labels that had no effect, e.g. a path for a volume that is excluded. */
  warnings: string[]
}

/** Whether `backupbot.backup` says `true` (case-insensitive). */
function backupEnabled(labels: Record<string, string>): boolean {
  return labels[BACKUPBOT.backup]?.trim().toLowerCase() === 'true'
}

/** Whether any service of the stack is backed up (`backupbot.backup=true`). */
export function isBackupCapable(services: readonly { labels: Record<string, string> }[]): boolean {
  return services.some((s) => backupEnabled(s.labels))
}

/** The compose key of a stack's volume: `<stack>_db-data` -> `db-data`; other names unchanged. */
export function volumeKey(stack: string, volume: string): string {
  return volume.startsWith(`${stack}_`) ? volume.slice(stack.length + 1) : volume
}

function labelError(service: string, label: string, value: string, problem: string): CcciError {
  return new CcciError(
    'CCCI_BACKUPBOT_LABEL',
    `service ${service}: label ${label}=${JSON.stringify(value)} ${problem}`,
    {
      hint: 'fix the label in the recipe compose file: `backupbot.backup=true` marks a service, `backupbot.backup.volumes.<volume>=false` leaves a volume out, `backupbot.backup.volumes.<volume>.path=a,b` selects paths relative to the volume root',
    },
  )
}

/**
 * A path relative to a volume root, normalised: `undefined` for the root itself. A leading `/`
 * is read as the volume root; `..` that leaves the volume is refused.
 */
function volumeRelative(raw: string, fail: (problem: string) => CcciError): string | undefined {
  const normalized = posix.normalize(raw.trim().replace(/^\/+/, '')).replace(/\/+$/, '')
  if (normalized === '..' || normalized.startsWith('../')) {
    throw fail(`has a path that leaves the volume: ${raw.trim()}`)
  }
  return normalized === '.' || normalized === '' ? undefined : normalized
}

/** Merges path selections: any whole-volume selection wins; nested paths fold into their parent. */
function mergePaths(selections: readonly (string | undefined)[]): VolumePaths {
  if (selections.includes(undefined)) {
    return 'all'
  }
  const unique = [...new Set(selections as string[])].sort()
  return unique.filter((p) => !unique.some((q) => q !== p && p.startsWith(`${q}/`)))
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
}

interface VolumeLabels {
  included: Map<string, boolean>
  paths: Map<string, { label: string; value: string }>
}

/** `backupbot.backup.volumes.*` labels, by volume key. */
function volumeLabels(service: BackupServiceInput, keys: ReadonlySet<string>): VolumeLabels {
  const result: VolumeLabels = { included: new Map(), paths: new Map() }
  for (const [label, value] of Object.entries(service.labels)) {
    if (!label.startsWith(BACKUPBOT.volumesPrefix)) {
      continue
    }
    const rest = label.slice(BACKUPBOT.volumesPrefix.length)
    const isPath = rest.endsWith('.path')
    const key = isPath ? rest.slice(0, -'.path'.length) : rest
    if (!keys.has(key)) {
      const mounted = [...keys].join(', ') || 'none'
      throw labelError(
        service.name,
        label,
        value,
        `names volume "${key}", which the service does not mount (it mounts: ${mounted})`,
      )
    }
    if (isPath) {
      result.paths.set(key, { label, value })
      continue
    }
    const flag = value.trim().toLowerCase()
    if (flag !== 'true' && flag !== 'false') {
      throw labelError(service.name, label, value, 'must be true or false')
    }
    result.included.set(key, flag === 'true')
  }
  return result
}

/** Volumes selected by the spec's labels: all mounted volumes unless excluded, paths if given. */
function specVolumes(
  service: BackupServiceInput,
  mounts: ReadonlyMap<string, string>,
  warnings: string[],
): VolumeSelection[] {
  const labels = volumeLabels(service, new Set(mounts.keys()))
  const selections: VolumeSelection[] = []
  for (const [key, volume] of mounts) {
    const pathLabel = labels.paths.get(key)
    if (labels.included.get(key) === false) {
      if (pathLabel !== undefined) {
        warnings.push(
          `service ${service.name}: ${pathLabel.label} ignored: volume ${key} is excluded`,
        )
      }
      continue
    }
    if (pathLabel === undefined) {
      selections.push({ key, volume, paths: 'all' })
      continue
    }
    const fail = (problem: string) =>
      labelError(service.name, pathLabel.label, pathLabel.value, problem)
    const paths = splitList(pathLabel.value)
    if (paths.length === 0) {
      throw fail('lists no paths (remove the label to back up the whole volume)')
    }
    selections.push({ key, volume, paths: mergePaths(paths.map((p) => volumeRelative(p, fail))) })
  }
  return selections
}

/** The legacy `backupbot.backup.path`: absolute container paths mapped onto the mounted volumes. */
function legacyVolumes(
  stack: string,
  service: BackupServiceInput,
  value: string,
): VolumeSelection[] {
  const fail = (problem: string) => labelError(service.name, BACKUPBOT.legacyPath, value, problem)
  const paths = splitList(value)
  if (paths.length === 0) {
    throw fail('lists no paths')
  }
  const mounts = [...service.mounts]
    .map((m) => ({ ...m, target: posix.normalize(m.target).replace(/(.)\/+$/, '$1') }))
    .sort((a, b) => b.target.length - a.target.length)
  const byVolume = new Map<string, (string | undefined)[]>()
  for (const raw of paths) {
    if (!raw.startsWith('/')) {
      throw fail(`has a relative path (${raw}); this form takes absolute paths in the container`)
    }
    const path = posix.normalize(raw).replace(/(.)\/+$/, '$1')
    const mount = mounts.find(
      (m) => path === m.target || path.startsWith(m.target === '/' ? '/' : `${m.target}/`),
    )
    if (mount === undefined) {
      const targets = mounts.map((m) => m.target).join(', ') || 'none'
      throw fail(`has a path on no volume (${raw}); volumes are mounted at: ${targets}`)
    }
    const rest = posix.relative(mount.target, path)
    byVolume.set(mount.volume, [
      ...(byVolume.get(mount.volume) ?? []),
      rest === '' ? undefined : rest,
    ])
  }
  return [...byVolume].map(([volume, selected]) => ({
    key: volumeKey(stack, volume),
    volume,
    paths: mergePaths(selected),
  }))
}

/** What one backed-up service's labels select. */
function serviceBackup(
  stack: string,
  service: BackupServiceInput,
  warnings: string[],
): ServiceBackup {
  const mounts = new Map<string, string>()
  for (const mount of service.mounts) {
    mounts.set(volumeKey(stack, mount.volume), mount.volume)
  }
  const legacy = service.labels[BACKUPBOT.legacyPath]
  let volumes: VolumeSelection[]
  if (legacy === undefined) {
    volumes = specVolumes(service, mounts, warnings)
  } else {
    const mixed = Object.keys(service.labels).find((l) => l.startsWith(BACKUPBOT.volumesPrefix))
    if (mixed !== undefined) {
      throw labelError(
        service.name,
        BACKUPBOT.legacyPath,
        legacy,
        `is mixed with ${mixed}; use one form (backupbot.backup.volumes.<volume>.path is the current one)`,
      )
    }
    volumes = legacyVolumes(stack, service, legacy)
  }
  const hook = (label: string): string | undefined => {
    const value = service.labels[label]?.trim()
    return value === undefined || value === '' ? undefined : value
  }
  const hooks: BackupHooks = {
    backupPre: hook(BACKUPBOT.backupPreHook),
    backupPost: hook(BACKUPBOT.backupPostHook),
    restorePre: hook(BACKUPBOT.restorePreHook),
    restorePost: hook(BACKUPBOT.restorePostHook),
  }
  return {
    service: service.name,
    hooks: Object.fromEntries(Object.entries(hooks).filter(([, v]) => v !== undefined)),
    volumes: volumes.sort((a, b) => a.key.localeCompare(b.key)),
  }
}

/** Every selected volume once; services that share a volume get their selections merged. */
function mergeVolumes(services: readonly ServiceBackup[]): VolumeSelection[] {
  const merged = new Map<string, { volume: string; selected: (string | undefined)[] }>()
  for (const selection of services.flatMap((s) => s.volumes)) {
    const entry = merged.get(selection.key) ?? { volume: selection.volume, selected: [] }
    entry.selected.push(...(selection.paths === 'all' ? [undefined] : selection.paths))
    merged.set(selection.key, entry)
  }
  return [...merged]
    .map(([key, { volume, selected }]) => ({ key, volume, paths: mergePaths(selected) }))
    .sort((a, b) => a.key.localeCompare(b.key))
}

/**
 * The backup plan of a stack from its services' labels and volume mounts. Throws
 * `CCCI_BACKUPBOT_LABEL` for labels that make no sense (a path leaving its volume, a label naming
 * a volume the service does not mount, both label forms at once).
 */
export function backupPlan(stack: string, services: readonly BackupServiceInput[]): BackupPlan {
  const warnings: string[] = []
  const backedUp = services
    .filter((s) => backupEnabled(s.labels))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => serviceBackup(stack, s, warnings))
  return { services: backedUp, volumes: mergeVolumes(backedUp), warnings }
}
