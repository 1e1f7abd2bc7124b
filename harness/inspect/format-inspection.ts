import type { Inspection } from './inspection-schema.ts'

type Secret = Inspection['secrets'][number]

/** How a secret would come to exist: generated (and how), or inserted by hand. Never a value. */
export function describeGeneration(secret: Secret): string {
  if (!secret.generate) {
    return 'inserted, never generated (generate=false)'
  }
  if (secret.length === null) {
    return 'generated, passphrase (no length=)'
  }
  const charset = secret.charset.length === 0 ? 'default' : secret.charset.join(',')
  return `generated, length ${secret.length}, charset ${charset}`
}

function section(title: string, lines: string[], empty = '(none)'): string[] {
  return [title, ...(lines.length === 0 ? [`  ${empty}`] : lines.map((l) => `  ${l}`))]
}

function pad(text: string, width: number): string {
  return text.padEnd(width)
}

/** The width of the longest of `values`, for one aligned column. */
function width(values: readonly string[]): number {
  return Math.max(0, ...values.map((v) => v.length))
}

function versionLines(i: Inspection): string[] {
  const v = i.versions
  return [
    `head     ${v.head ?? '(no release tag on the head)'}`,
    `install  ${v.install}`,
    `upgrade  ${v.upgrade === null ? `skipped: ${v.upgradeSkip ?? ''}` : `${v.base ?? '?'} -> ${v.upgrade}`}`,
    ...v.warnings.map((w) => `warning  ${w}`),
  ]
}

function composeLines(i: Inspection): string[] {
  return [
    `COMPOSE_FILE  ${i.compose.composeFile ?? '(not set: compose.yml)'}`,
    ...i.compose.files.map((f) => `file  ${f}`),
  ]
}

function serviceLines(i: Inspection): string[] {
  const w = width(i.services.map((s) => s.name))
  return i.services.map((s) => {
    const mounts = s.volumes.map((v) => `${v.key}:${v.target}`).join(', ')
    const secrets = s.secrets.join(', ')
    return (
      `${pad(s.name, w)}  ${s.image ?? '(no image)'}` +
      (mounts === '' ? '' : `  volumes ${mounts}`) +
      (secrets === '' ? '' : `  secrets ${secrets}`)
    )
  })
}

function volumeLines(i: Inspection): string[] {
  const w = width(i.volumes.map((v) => v.key))
  return i.volumes.map((v) => `${pad(v.key, w)}  ${v.name}${v.external ? '  (external)' : ''}`)
}

function secretLines(i: Inspection): string[] {
  const keys = width(i.secrets.map((s) => s.key))
  const names = width(i.secrets.map((s) => s.name))
  return i.secrets.map(
    (s) =>
      `${pad(s.key, keys)}  ${pad(s.name, names)}  version ${s.version}` +
      `${s.versionVar === null ? '' : ` (${s.versionVar})`}  ${describeGeneration(s)}`,
  )
}

function routeLines(i: Inspection): string[] {
  return [
    ...i.routes.routes.map(
      (r) =>
        `${r.hosts.join(', ')}${r.pathPrefixes.length === 0 ? '' : ` ${r.pathPrefixes.join(', ')}`}` +
        ` -> ${r.service}:${r.port}  (router ${r.router}${r.priority === null ? '' : `, priority ${r.priority}`})`,
    ),
    ...i.routes.problems.map(
      (p) =>
        `not routed: ${p.service}${p.router === null ? '' : ` router ${p.router}`}: ${p.message}`,
    ),
  ]
}

function backupLines(i: Inspection): string[] {
  const b = i.backup
  if (b.error !== null) {
    return [`error: ${b.error}`]
  }
  if (b.services.length === 0) {
    return ['not backed up (no service says backupbot.backup=true)', ...b.warnings]
  }
  const hook = (name: string, command: string | null) =>
    command === null ? [] : [`${name} ${command}`]
  return [
    `enabled by ${b.services.join(', ')}`,
    ...b.volumes.map(
      (v) => `volume ${v.key}  ${v.volume}  ${v.paths === 'all' ? 'all' : v.paths.join(', ')}`,
    ),
    ...b.hooks.flatMap((h) =>
      [
        ...hook('backup pre-hook', h.backupPre),
        ...hook('backup post-hook', h.backupPost),
        ...hook('restore pre-hook', h.restorePre),
        ...hook('restore post-hook', h.restorePost),
      ].map((line) => `hook ${h.service}  ${line}`),
    ),
    ...b.warnings.map((w) => `warning ${w}`),
  ]
}

function lintLines(i: Inspection): string[] {
  const l = i.lint
  if (l.error !== null) {
    return [`error: ${l.error}`]
  }
  return [
    l.ok ? 'pass' : 'fail',
    ...l.rules.map((r) => {
      const outcome = r.skipped ? 'skipped' : r.satisfied ? 'ok' : r.level
      return `${r.ref}  ${pad(outcome, 7)}  ${r.description}`
    }),
  ]
}

function hostAccessLines(i: Inspection): string[] {
  const h = i.hostAccess
  return [
    ...(h.note === null ? [] : [`note: ${h.note}`]),
    ...h.findings.map((f) =>
      f.granted
        ? `granted  ${f.where}: ${f.key} ${f.value}  (${f.reason})`
        : `refused  ${f.reason}`,
    ),
  ]
}

function tierLines(i: Inspection): string[] {
  return i.tiers.flatMap((t) => [
    `${t.tier}${t.run.length === 0 ? ' (nothing runs)' : ''}`,
    ...t.run.map((f) => `  run      ${pad(f.layer, 10)} ${f.file}`),
    ...t.skipped.map((f) => `  skipped  ${pad(f.layer, 10)} ${f.file}  (${f.reason})`),
    ...t.notRun.map((f) => `  not run  ${pad(f.layer, 10)} ${f.file}  (${f.reason})`),
  ])
}

/** The inspection as text: short sections, one line per item. */
export function formatInspection(i: Inspection): string {
  const header = [
    `inspect ${i.recipe} (${i.source.src} @ ${i.source.commit.slice(0, 8)}${i.source.ref === null ? '' : `, ref ${i.source.ref}`})`,
    `  app ${i.app.domain}  stack ${i.app.stack}  server ${i.app.server}${i.configured ? '' : '  (zero config)'}`,
    `  compose, secrets, routes and backup below: ${i.rendered}`,
  ]
  const sections = [
    header,
    section('versions', versionLines(i)),
    section('compose files', composeLines(i)),
    section('services', serviceLines(i)),
    section('volumes', volumeLines(i)),
    section('secrets (names only; never generated by inspect)', secretLines(i)),
    section('routes', routeLines(i)),
    section('backup', backupLines(i)),
    section('lint', lintLines(i)),
    section(
      `host access (${i.hostAccess.checked === 'recipe' ? 'every compose file' : "the app's compose files"})`,
      hostAccessLines(i),
    ),
    section('tiers', tierLines(i)),
    section('warnings', i.warnings),
  ]
  return `${sections.map((lines) => lines.join('\n')).join('\n')}\n`
}
