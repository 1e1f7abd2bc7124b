import { randomBytes } from 'node:crypto'
import { backupPlan, type BackupServiceInput } from '../harness/coop/backupbot-labels.ts'
import type { AppEnv } from '../harness/coop/env-file.ts'
import { secretVersionVar } from '../harness/coop/secrets.ts'
import { isExternal, type RenderedStack } from '../harness/docker/index.ts'

/** What the floor's shell script must know of one release of a recipe, hard-coded as a person would. */
export interface FloorPlan {
  /** External secrets: the swarm name and the length of the value to generate. */
  secrets: { name: string; length: number }[]
  /** Every volume of the stack (Docker names): what `docker volume rm` must remove. */
  volumes: string[]
  /** What a backup takes: each volume (compose key, Docker name) and its paths ('all': whole). */
  backup: { key: string; volume: string; paths: string[] | 'all' }[]
  /** Backup pre-hooks: `docker exec <a container of service> sh -c <hook>` before the copy. */
  preHooks: { service: string; hook: string }[]
}

const DEFAULT_SECRET_LENGTH = 32

/**
 * The floor's plan of one release, from the release's compose file rendered with its env (the
 * same backupbot reading cc-ci does, harness/coop/backupbot-labels.ts): pure, no Docker.
 */
export function floorPlan(stack: string, rendered: RenderedStack, env: AppEnv): FloorPlan {
  const secrets = Object.entries(rendered.secrets)
    .filter(([, entry]) => isExternal(entry))
    .map(([key, entry]) => ({
      name: entry?.name ?? `${stack}_${key}`,
      length: Number(env.modifiers[secretVersionVar(key)]?.length ?? DEFAULT_SECRET_LENGTH),
    }))
  const volumes = Object.entries(rendered.volumes)
    .filter(([, entry]) => !isExternal(entry))
    .map(([key, entry]) => entry?.name ?? `${stack}_${key}`)
  const services: BackupServiceInput[] = Object.entries(rendered.services).map(
    ([name, service]) => ({
      name,
      labels: service.deploy?.labels ?? {},
      mounts: (service.volumes ?? [])
        .filter((v) => v.type === 'volume' && v.source !== undefined)
        .map((v) => ({
          volume: rendered.volumes[v.source ?? '']?.name ?? `${stack}_${v.source ?? ''}`,
          target: v.target,
        })),
    }),
  )
  const plan = backupPlan(stack, services)
  return {
    secrets,
    volumes,
    backup: plan.volumes.map((v) => ({ key: v.key, volume: v.volume, paths: v.paths })),
    preHooks: plan.hooks.flatMap((s) =>
      s.hooks.backupPre === undefined
        ? []
        : [{ service: `${stack}_${s.service}`, hook: s.hooks.backupPre }],
    ),
  }
}

/** A random secret value of `length` characters (hex), as `abra app secret generate` would make. */
export function secretValue(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length)
}

/** The one helper container's script of a backup: every selected volume into /b/backup.tar. */
export function backupScript(backup: FloorPlan['backup']): string {
  const members = backup.flatMap((v) =>
    v.paths === 'all' ? [v.key] : v.paths.map((p) => `${v.key}/${p}`),
  )
  return `tar c -f /b/backup.tar -C /v ${members.map((m) => `'${m}'`).join(' ')}`
}

/** The one helper container's script of a restore: empty each whole volume, unpack the archive. */
export function restoreScript(backup: FloorPlan['backup']): string {
  const empty = backup
    .filter((v) => v.paths === 'all')
    .map((v) => `find '/v/${v.key}' -mindepth 1 -maxdepth 1 -exec rm -rf {} +`)
  return [...empty, 'tar x -f /b/backup.tar -C /v'].join(' && ')
}
