/** The fake abra's view of apps: env files under ABRA_DIR, owner labels, the swarm driver that does the work. */
import { existsSync, readdirSync, readFileSync, appendFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { basename, join } from 'node:path'
import { z } from 'zod'
import type { AppRef } from '../../../harness/driver/app-driver.ts'
import type { Logger } from '../../../harness/log.ts'
import { stackName } from '../../../harness/run/domain.ts'
import { parseEnvFile } from '../../../harness/coop/env-file.ts'
import { SwarmDriver } from '../../../harness/swarm/swarm-driver.ts'
import { type AbraCall } from './abra-argv.ts'

/** A failure abra reports with `FATA <message>` and exit status 1. */
export class Fatal extends Error {}

export const out = (text: string) => process.stdout.write(`${text}\n`)
export const say = (level: string, message: string) => out(`${level} ${message}`)

export const log: Logger = {
  step: (m) => say('INFO', m),
  info: (m) => say('INFO', m.trim()),
  warn: (m) => say('WARN', m),
  debug: (m) => {
    if (process.env.CCCI_DEBUG === '1') {
      say('DEBU', m)
    }
  },
}

export const abraDir = () => process.env.ABRA_DIR ?? join(homedir(), '.abra')

export const OwnerLabels = z.record(z.string(), z.string())

export function ownerLabels(): Record<string, string> {
  const raw = process.env.CCCI_OWNER_LABELS
  if (raw === undefined) {
    return {}
  }
  const parsed = OwnerLabels.safeParse(JSON.parse(raw))
  if (!parsed.success) {
    throw new Fatal(`CCCI_OWNER_LABELS is not a JSON object of strings: ${raw}`)
  }
  return parsed.data
}

/** The swarm driver doing the work; its snapshot store stands in for backup-bot-two's restic repository. */
export function swarm(
  app: AppRef | undefined,
  onSecretValue?: (value: string) => void,
): SwarmDriver {
  const labels = ownerLabels()
  if (Object.keys(labels).length === 0) {
    throw new Fatal('the fake abra needs CCCI_OWNER_LABELS to label what it creates')
  }
  return new SwarmDriver({
    ownerLabels: labels,
    log,
    onSecretValue,
    backupDir: join(abraDir(), 'fake-backupbot', app?.stack ?? 'none'),
  })
}

export function recipeOf(envFile: string): string {
  const env = parseEnvFile(readFileSync(envFile, 'utf8'), { file: envFile }).values
  return (env.TYPE ?? env.RECIPE ?? '').split(':')[0] ?? ''
}

export function appRef(domain: string, server: string, recipe: string): AppRef {
  return {
    recipe,
    domain,
    stack: stackName(domain),
    server,
    recipeDir: join(abraDir(), 'recipes', recipe),
    envFile: join(abraDir(), 'servers', server, `${domain}.env`),
  }
}

/** Every app: `servers/<server>/<domain>.env` under ABRA_DIR. */
export function allApps(): AppRef[] {
  const servers = join(abraDir(), 'servers')
  if (!existsSync(servers)) {
    return []
  }
  return readdirSync(servers).flatMap((server) =>
    readdirSync(join(servers, server))
      .filter((f) => f.endsWith('.env'))
      .flatMap((file) => {
        try {
          const domain = basename(file, '.env')
          return [appRef(domain, server, recipeOf(join(servers, server, file)))]
        } catch {
          return [] // an env file another run is removing or writing
        }
      }),
  )
}

export function findApp(domain: string): AppRef {
  const app = allApps().find((a) => a.domain === domain)
  if (app === undefined) {
    throw new Fatal(`cannot find app with name ${domain}`)
  }
  return app
}

export const flag = (call: AbraCall, name: string) => call.flags.get(name)
export const has = (call: AbraCall, name: string) => call.flags.get(name) === true
export const arg = (call: AbraCall, i: number) => call.args[i] ?? ''

/** With CCCI_FAKE_ABRA_LOG set, one JSON line per call: its argv and whether it had a terminal. */
export function record(argv: readonly string[]): void {
  const file = process.env.CCCI_FAKE_ABRA_LOG
  if (file !== undefined) {
    const tty = process.stdout.isTTY && process.stdin.isTTY
    const entry = { argv, tty, pid: process.pid, abraDir: abraDir() }
    appendFileSync(file, `${JSON.stringify(entry)}\n`)
  }
}
