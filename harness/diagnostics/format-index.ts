import { headline, type ServiceVerdict } from './failing-services.ts'

/** What went into the bundle, for its index (`index.md`). */
export interface BundleIndex {
  recipe: string
  runId: string
  stack: string
  collectedAt: string
  /** Why it was collected: a tier failed, or CCCI_DIAGNOSTICS=always. */
  why: 'failed' | 'always'
  /** Tiers the run recorded as failed, with their error (already redacted). */
  failedTiers: { tier: string; error: string | undefined }[]
  services: ServiceVerdict[]
  /** Bundle file of each service's logs, by service name. */
  logFiles: Record<string, string>
  /** Every file written, relative to the bundle, with its size-cap note. */
  files: { path: string; note: string | undefined; omitted: boolean }[]
  /** Browser screenshots and traces the run kept, relative to the bundle (`../browser/...`). */
  browserArtifacts: string[]
  /** Collection steps that failed: `events: Docker: read events failed: ...`. */
  errors: { piece: string; error: string }[]
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ')

function serviceLines(index: BundleIndex): string[] {
  const failing = index.services.filter((s) => s.failing)
  const lines: string[] = ['## Failing services', '']
  if (failing.length === 0) {
    lines.push('None: every service ran as desired when the diagnostics were collected.')
  }
  for (const s of failing) {
    const logs = index.logFiles[s.service]
    lines.push(
      `- **${s.service}** (\`${s.name}\`, ${s.image}): ${s.reason ?? ''}${logs === undefined ? '' : `; logs: [${logs}](${logs})`}`,
    )
  }
  lines.push(
    '',
    '## All services',
    '',
    '| service | image | running | newest task | error |',
    '| --- | --- | ---: | --- | --- |',
    ...index.services.map((s) => {
      const newest = s.tasks[0]
      const state = newest === undefined ? 'no task' : `${newest.state} at ${newest.timestamp}`
      return `| ${cell(s.service)}${s.failing ? ' ❌' : ''} | ${cell(s.image)} | ${s.running}/${s.replicas ?? 'global'} | ${cell(state)} | ${cell(s.failedTask?.error ?? '')} |`
    }),
  )
  return lines
}

/** `index.md`: the failing services first with their task error, then everything the bundle holds. */
export function formatIndex(index: BundleIndex): string {
  const lines = [
    `# Diagnostics: ${index.recipe} run ${index.runId}`,
    '',
    `**${headline(index.services)}**`,
    '',
    `Collected ${index.collectedAt} before the teardown, ${index.why === 'failed' ? 'because the run failed' : 'because CCCI_DIAGNOSTICS=always'}; stack \`${index.stack}\`.`,
    '',
  ]
  if (index.failedTiers.length > 0) {
    lines.push(
      '## Failed tiers',
      '',
      ...index.failedTiers.map(
        (t) => `- **${t.tier}**${t.error === undefined ? '' : `: ${t.error.split('\n')[0] ?? ''}`}`,
      ),
      '',
    )
  }
  lines.push(...serviceLines(index), '', '## Files', '')
  for (const file of index.files) {
    const name = file.omitted ? file.path : `[${file.path}](${file.path})`
    lines.push(`- ${name}${file.note === undefined ? '' : ` (${file.note})`}`)
  }
  lines.push('', '## Browser screenshots and traces', '')
  if (index.browserArtifacts.length === 0) {
    lines.push('None kept by this run.')
  }
  lines.push(...index.browserArtifacts.map((path) => `- [${path}](${path})`))
  if (index.errors.length > 0) {
    lines.push(
      '',
      '## Not collected',
      '',
      ...index.errors.map((e) => `- ${e.piece}: ${e.error.split('\n')[0] ?? ''}`),
    )
  }
  return `${lines.join('\n')}\n`
}
