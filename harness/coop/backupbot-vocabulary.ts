/**
 * The backupbot labels cc-ci understands: those of the Co-op Cloud backup spec
 * (docs.coopcloud.tech/specs/backup/spec) and the pre-spec `backupbot.backup.path`. Any other
 * `backupbot.*` label is reported, so a recipe that relies on one is never silently backed up
 * with less than it expects. Pure. See docs/backup.md.
 */
export const BACKUPBOT = {
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

const EXACT: ReadonlySet<string> = new Set([
  BACKUPBOT.backup,
  BACKUPBOT.backupPreHook,
  BACKUPBOT.backupPostHook,
  BACKUPBOT.restorePreHook,
  BACKUPBOT.restorePostHook,
  BACKUPBOT.legacyPath,
])

/** Whether cc-ci reads the label (`backupbot.backup.volumes.*` always: its volume is checked later). */
export function isKnownBackupbotLabel(label: string): boolean {
  return EXACT.has(label) || label.startsWith(BACKUPBOT.volumesPrefix)
}

/**
 * Warnings for labels of one service that cc-ci does not act on: `backupbot.*` labels it does
 * not know (e.g. `backupbot.backup.command`), and a `backupbot.backup` value that is neither true
 * nor false (read as false).
 */
export function vocabularyWarnings(service: string, labels: Record<string, string>): string[] {
  const warnings: string[] = []
  for (const [label, value] of Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))) {
    if (!label.startsWith('backupbot.') || isKnownBackupbotLabel(label)) {
      continue
    }
    warnings.push(
      `service ${service}: label ${label}=${JSON.stringify(value)} is not a backupbot label cc-ci knows and has no effect: whatever it would run or select is not in the backup (the spec's labels: ${BACKUPBOT.backup}, ${BACKUPBOT.backupPreHook}, ${BACKUPBOT.backupPostHook}, ${BACKUPBOT.restorePreHook}, ${BACKUPBOT.restorePostHook}, ${BACKUPBOT.volumesPrefix}<volume>[.path])`,
    )
  }
  const flag = labels[BACKUPBOT.backup]?.trim().toLowerCase()
  if (flag !== undefined && flag !== 'true' && flag !== 'false') {
    warnings.push(
      `service ${service}: label ${BACKUPBOT.backup}=${JSON.stringify(labels[BACKUPBOT.backup])} is read as false (only "true" enables backups)`,
    )
  }
  return warnings
}
