import { posix } from 'node:path'
import { stackLocalName } from '../docker/filters.ts'
import { CcciError } from '../errors.ts'
import { BACKUPBOT, vocabularyWarnings } from './backupbot-vocabulary.ts'

/**
 * The backup plan of a stack from its backupbot labels, as the Co-op Cloud backup spec
 * (docs.coopcloud.tech/specs/backup/spec) reads them: `backupbot.backup=true` on a service
 * enables backups of the stack, and then "by default all volumes MUST be backed up"; volume and
 * hook labels may sit on any service. Pure: no Docker here. See docs/backup.md.
 */

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

/** The hooks one service carries (any service of the stack may). */
export interface ServiceHooks {
  service: string
  hooks: BackupHooks
}

export interface BackupPlan {
  /** Services saying `backupbot.backup=true`, ordered by name; none: the stack is not backed up. */
  labelled: string[]
  /** Services with hooks, ordered by name. */
  hooks: ServiceHooks[]
  /** Every volume a service of the stack mounts, unless excluded; ordered by key. */
  volumes: VolumeSelection[]
  /** Labels cc-ci accepted but that did not do what they say, or that it does not know. */
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
  return stackLocalName(stack, volume)
}

function labelError(service: string, label: string, value: string, problem: string): CcciError {
  return new CcciError(
    'CCCI_BACKUPBOT_LABEL',
    `service ${service}: label ${label}=${JSON.stringify(value)} ${problem}`,
    {
      hint: 'fix the label in the recipe compose file: `backupbot.backup=true` marks the stack, `backupbot.backup.volumes.<volume>=false` leaves a volume out, `backupbot.backup.volumes.<volume>.path=a,b` selects paths relative to the volume root',
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

/** A path selection for one volume and the label it came from (for warnings). */
interface Selection {
  key: string
  path: string | undefined
  source: string
}

/** What the labels of the whole stack say about each volume key. */
interface VolumeRules {
  /** `volumes.<key>=true|false`, with the service and label that said it. */
  flags: Map<string, { included: boolean; source: string }>
  selections: Selection[]
}

/** `backupbot.backup.volumes.<key>[.path]` of one service; keys no service mounts only warn. */
function specRules(
  service: BackupServiceInput,
  mounted: ReadonlyMap<string, string>,
  rules: VolumeRules,
  warnings: string[],
): void {
  const labels = Object.entries(service.labels).sort(([a], [b]) => a.localeCompare(b))
  for (const [label, value] of labels) {
    if (!label.startsWith(BACKUPBOT.volumesPrefix)) {
      continue
    }
    const rest = label.slice(BACKUPBOT.volumesPrefix.length)
    const isPath = rest.endsWith('.path') && !mounted.has(rest)
    const key = isPath ? rest.slice(0, -'.path'.length) : rest
    const source = `service ${service.name}: ${label}`
    if (!mounted.has(key)) {
      const keys = [...mounted.keys()].join(', ') || 'none'
      warnings.push(
        `${source} has no effect: no service of the stack mounts a volume "${key}" (mounted: ${keys})`,
      )
      continue
    }
    if (!isPath) {
      const flag = value.trim().toLowerCase()
      if (flag !== 'true' && flag !== 'false') {
        throw labelError(service.name, label, value, 'must be true or false')
      }
      const earlier = rules.flags.get(key)
      if (earlier !== undefined && earlier.included !== (flag === 'true')) {
        throw labelError(service.name, label, value, `contradicts ${earlier.source}`)
      }
      rules.flags.set(key, { included: flag === 'true', source })
      continue
    }
    const fail = (problem: string) => labelError(service.name, label, value, problem)
    const paths = splitList(value)
    if (paths.length === 0) {
      throw fail('lists no paths (remove the label to back up the whole volume)')
    }
    for (const path of paths) {
      rules.selections.push({ key, path: volumeRelative(path, fail), source })
    }
  }
}

/** The legacy `backupbot.backup.path`: absolute container paths mapped onto the service's mounts. */
function legacyRules(stack: string, service: BackupServiceInput, value: string): Selection[] {
  const fail = (problem: string) => labelError(service.name, BACKUPBOT.legacyPath, value, problem)
  const paths = splitList(value)
  if (paths.length === 0) {
    throw fail('lists no paths')
  }
  const mounts = [...service.mounts]
    .map((m) => ({ ...m, target: posix.normalize(m.target).replace(/(.)\/+$/, '$1') }))
    .sort((a, b) => b.target.length - a.target.length)
  return paths.map((raw) => {
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
    return {
      key: volumeKey(stack, mount.volume),
      path: rest === '' ? undefined : rest,
      source: `service ${service.name}: ${BACKUPBOT.legacyPath}`,
    }
  })
}

/** The volume labels of every service of the stack, checked against what the stack mounts. */
function volumeRules(
  stack: string,
  services: readonly BackupServiceInput[],
  mounted: ReadonlyMap<string, string>,
  warnings: string[],
): VolumeRules {
  const rules: VolumeRules = { flags: new Map(), selections: [] }
  for (const service of services) {
    const legacy = service.labels[BACKUPBOT.legacyPath]
    if (legacy !== undefined) {
      const mixed = Object.keys(service.labels).find((l) => l.startsWith(BACKUPBOT.volumesPrefix))
      if (mixed !== undefined) {
        throw labelError(
          service.name,
          BACKUPBOT.legacyPath,
          legacy,
          `is mixed with ${mixed}; use one form (backupbot.backup.volumes.<volume>.path is the current one)`,
        )
      }
      rules.selections.push(...legacyRules(stack, service, legacy))
    }
    specRules(service, mounted, rules, warnings)
  }
  return rules
}

/** Every volume of the stack unless excluded, limited to the selected paths where any are. */
function selectVolumes(
  mounted: ReadonlyMap<string, string>,
  rules: VolumeRules,
  warnings: string[],
): VolumeSelection[] {
  const selections: VolumeSelection[] = []
  for (const [key, volume] of [...mounted].sort(([a], [b]) => a.localeCompare(b))) {
    const selected = rules.selections.filter((s) => s.key === key)
    if (rules.flags.get(key)?.included === false) {
      for (const source of new Set(selected.map((s) => s.source))) {
        warnings.push(`${source} ignored: volume ${key} is excluded`)
      }
      continue
    }
    const paths = selected.length === 0 ? 'all' : mergePaths(selected.map((s) => s.path))
    selections.push({ key, volume, paths })
  }
  return selections
}

function serviceHooks(service: BackupServiceInput): BackupHooks {
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
  return Object.fromEntries(Object.entries(hooks).filter(([, v]) => v !== undefined))
}

/**
 * The backup plan of a stack from its services' labels and volume mounts. Throws
 * `CCCI_BACKUPBOT_LABEL` for labels that make no sense (a path leaving its volume, a legacy path
 * on no volume, contradicting or mixed label forms); warns about labels that have no effect.
 */
export function backupPlan(stack: string, services: readonly BackupServiceInput[]): BackupPlan {
  const sorted = [...services].sort((a, b) => a.name.localeCompare(b.name))
  const warnings = sorted.flatMap((s) => vocabularyWarnings(s.name, s.labels))
  const labelled = sorted.filter((s) => backupEnabled(s.labels)).map((s) => s.name)
  if (labelled.length === 0) {
    return { labelled, hooks: [], volumes: [], warnings }
  }
  if (labelled.length > 1) {
    warnings.push(
      `${BACKUPBOT.backup}=true is set on ${labelled.length} services (${labelled.join(', ')}); the spec wants it on one: the stack is backed up once, all its volumes`,
    )
  }
  const mounted = new Map<string, string>()
  for (const mount of sorted.flatMap((s) => s.mounts)) {
    const key = volumeKey(stack, mount.volume)
    if (!mounted.has(key)) {
      mounted.set(key, mount.volume)
    }
  }
  const rules = volumeRules(stack, sorted, mounted, warnings)
  const hooks = sorted
    .map((s) => ({ service: s.name, hooks: serviceHooks(s) }))
    .filter((s) => Object.keys(s.hooks).length > 0)
  return { labelled, hooks, volumes: selectVolumes(mounted, rules, warnings), warnings }
}
