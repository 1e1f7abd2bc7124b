import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseAbraSh } from '../harness/coop/abra-sh.ts'
import { parseEnvFile } from '../harness/coop/env-file.ts'
import { renderStack } from '../harness/docker/index.ts'
import { CcciError } from '../harness/errors.ts'
import { listTreeFiles, showFileBuffer } from '../harness/git/index.ts'
import { runCommand, type CommandOptions, type CommandResult } from '../harness/process/index.ts'
import {
  backupScript,
  floorPlan,
  restoreScript,
  secretValue,
  type FloorPlan,
} from './floor-plan.ts'

export const FLOOR_PHASES = ['deploy', 'redeploy', 'backup', 'restore', 'remove'] as const
export type FloorPhase = (typeof FLOOR_PHASES)[number]

/** One floor lifecycle: its phases and their sum, in milliseconds. */
export interface FloorSample {
  totalMs: number
  phases: Record<FloorPhase, number>
}

export interface FloorInput {
  /** The fixture recipe repository: `base` is deployed, then `head` in place over it. */
  repo: string
  base: string
  head: string
  /** DOCKER_HOST for every docker command (the bench's counting proxy). */
  dockerHost: string
  signal: AbortSignal
}

type Docker = (args: string[], extra?: Partial<CommandOptions>) => Promise<CommandResult>

const BUSYBOX = 'ccci-local/busybox:1'
const POLL_MS = 250
const DEADLINE_MS = 120_000
const NAMESPACE = 'com.docker.stack.namespace'
const SERVICE_NAME = 'com.docker.swarm.service.name'
const COMPOSE = 'compose.yml'

/** What the floor removes at the end (or after a failure): every name it created. */
interface FloorNames {
  stack: string
  secrets: string[]
  volumes: string[]
}

/** One release checked out, with the env its compose file is rendered with and its plan. */
interface Release {
  dir: string
  env: Record<string, string>
  plan: FloorPlan
}

/**
 * The unavoidable Docker work of a fixture recipe's lifecycle, done directly with the Docker CLI
 * and no cc-ci: the equivalent of a shell script written for that recipe, timed phase by phase.
 * What the script would hard-code (secrets, volumes, backup pre-hooks) is read beforehand, untimed,
 * from each release's compose file rendered with its `.env.sample` and `abra.sh` (floor-plan.ts).
 *
 *   deploy    docker secret create <each secret> -; docker stack deploy -c base/compose.yml $S; converge
 *   redeploy  docker secret create <secrets new in head> -; docker stack deploy -c head/compose.yml $S; converge
 *   backup    docker exec <container> sh -c <pre-hook>  (each pre-hook)
 *             docker run --rm -v <vol>:/v/<key>... -v $B:/b busybox tar c -f /b/backup.tar -C /v <keys>
 *   restore   docker run --rm -v <vol>:/v/<key>... -v $B:/b busybox sh -c 'empty each; tar x -f /b/backup.tar -C /v'
 *   remove    docker stack rm $S; wait until its containers are gone; docker network rm what is left;
 *             docker volume rm <each>; docker secret rm <each>
 *
 * converge = `docker service ls` shows N/N replicas for every service of the stack (a task with a
 * healthcheck counts once healthy) and `docker service inspect` shows no rolling update running.
 */
export async function floorLifecycle(input: FloorInput): Promise<FloorSample> {
  const id = randomBytes(3).toString('hex')
  const stack = `ccbench_floor_${id}`
  const names: FloorNames = { stack, secrets: [], volumes: [] }
  const work = mkdtempSync(join(tmpdir(), 'ccci-bench-floor-'))
  const base = {
    STACK_NAME: stack,
    DOMAIN: `floor-${id}.ccci.localhost`,
    EXTRA_DOMAINS: '',
    LETS_ENCRYPT_ENV: '',
  }
  const docker: Docker = (args, extra = {}) =>
    runCommand('docker', args, {
      timeoutMs: DEADLINE_MS,
      env: { DOCKER_HOST: input.dockerHost },
      cleanEnv: true,
      ...extra,
    })
  let removed = false
  try {
    const releases = {
      base: await checkoutRelease(input.repo, input.base, join(work, 'base'), stack, base),
      head: await checkoutRelease(input.repo, input.head, join(work, 'head'), stack, base),
    }
    const backup = releases.head.plan.backup
    const mounts = [
      ...backup.flatMap((v) => ['-v', `${v.volume}:/v/${v.key}`]),
      ...['-v', `${work}:/b`],
    ]
    const helper = (script: string) =>
      docker(['run', '--rm', ...mounts, BUSYBOX, 'sh', '-c', script])
    let before: Map<string, string> | undefined
    const deploy = async (release: Release) => {
      for (const secret of release.plan.secrets) {
        if (!names.secrets.includes(secret.name)) {
          names.secrets.push(secret.name)
          await docker(['secret', 'create', secret.name, '-'], {
            input: secretValue(secret.length),
          })
        }
      }
      for (const volume of release.plan.volumes) {
        if (!names.volumes.includes(volume)) {
          names.volumes.push(volume)
        }
      }
      await docker(['stack', 'deploy', '--resolve-image', 'never', '-c', COMPOSE, stack], {
        cwd: release.dir,
        env: { ...release.env, DOCKER_HOST: input.dockerHost },
      })
      await converge(stack, docker, input.signal, before)
    }
    const steps: Record<FloorPhase, () => Promise<unknown>> = {
      deploy: () => deploy(releases.base),
      redeploy: () => deploy(releases.head),
      backup: async () => {
        for (const { service, hook } of releases.head.plan.preHooks) {
          const container = (
            await docker(['ps', '-q', '--filter', `label=${SERVICE_NAME}=${service}`])
          ).stdout
            .split('\n')
            .find(Boolean)
          await docker(['exec', container ?? service, 'sh', '-c', hook])
        }
        await helper(backupScript(backup))
      },
      restore: () => helper(restoreScript(backup)),
      remove: async () => {
        await removeStack(names, docker, input.signal)
        removed = true
      },
    }
    const phases = { deploy: 0, redeploy: 0, backup: 0, restore: 0, remove: 0 }
    for (const phase of FLOOR_PHASES) {
      if (input.signal.aborted) {
        throw new CcciError('BENCH_INTERRUPTED', 'the bench was interrupted')
      }
      if (phase === 'redeploy') {
        // Untimed, as a script's author knows what the head changes.
        before = await taskTemplates(stack, docker)
      }
      const started = performance.now()
      await steps[phase]()
      phases[phase] = performance.now() - started
    }
    return { totalMs: Object.values(phases).reduce((a, b) => a + b, 0), phases }
  } finally {
    if (!removed) {
      await cleanUp(names, docker)
    }
    rmSync(work, { recursive: true, force: true })
  }
}

/** Writes the files of `commit` into `dir` and reads its plan (untimed: a script hard-codes it). */
async function checkoutRelease(
  repo: string,
  commit: string,
  dir: string,
  stack: string,
  base: Record<string, string>,
): Promise<Release> {
  for (const file of await listTreeFiles(repo, commit, '.')) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    writeFileSync(join(dir, file), await showFileBuffer(repo, commit, file))
  }
  const read = (file: string) =>
    existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : ''
  const sample = parseEnvFile(read('.env.sample'), { file: '.env.sample' })
  const env = { ...sample.values, ...parseAbraSh(read('abra.sh')), ...base }
  const rendered = await renderStack(dir, [COMPOSE], env)
  return { dir, env, plan: floorPlan(stack, rendered, sample) }
}

/** Polls `done` every POLL_MS until it holds; gives up after DEADLINE_MS or on `signal`. */
async function poll(what: string, done: () => Promise<boolean>, signal?: AbortSignal) {
  const deadline = Date.now() + DEADLINE_MS
  while (!(await done())) {
    if (signal?.aborted === true || Date.now() > deadline) {
      throw new CcciError('BENCH_FLOOR_TIMEOUT', `floor: gave up waiting for ${what}`, {
        hint:
          signal?.aborted === true ? 'the bench was interrupted' : '`docker service ps` shows why',
      })
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

async function serviceIds(stack: string, docker: Docker): Promise<string[]> {
  const out = await docker(['service', 'ls', '-q', '--filter', `label=${NAMESPACE}=${stack}`])
  return out.stdout.split('\n').filter(Boolean)
}

/** Each service's task template (name -> JSON): what changed in a redeploy must roll its tasks. */
async function taskTemplates(stack: string, docker: Docker): Promise<Map<string, string>> {
  const ids = await serviceIds(stack, docker)
  const out = await docker(['service', 'inspect', '--format', TEMPLATE_FORMAT, ...ids])
  return new Map(
    out.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name = '', , template = ''] = line.split('\t')
        return [name, template]
      }),
  )
}

const TEMPLATE_FORMAT =
  '{{.Spec.Name}}\t{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}\t{{json .Spec.TaskTemplate}}'

/**
 * Waits until every service of the stack shows N/N replicas and no update is running. `before`
 * (the task templates before a redeploy): a service whose template changed must also show its
 * rolling update `completed`, so a poll before the update started does not count as converged.
 */
async function converge(
  stack: string,
  docker: Docker,
  signal: AbortSignal,
  before?: Map<string, string>,
): Promise<void> {
  await poll(
    `${stack} to converge`,
    async () => {
      const replicas = (
        await docker([
          'service',
          'ls',
          '--filter',
          `label=${NAMESPACE}=${stack}`,
          '--format',
          '{{.ID}} {{.Replicas}}',
        ])
      ).stdout
        .split('\n')
        .filter(Boolean)
      if (replicas.length === 0 || !replicas.every((r) => /^\S+ (\d+)\/\1\b/.test(r))) {
        return false
      }
      const ids = replicas.map((r) => r.split(' ')[0] ?? '')
      const inspected = await docker(['service', 'inspect', '--format', TEMPLATE_FORMAT, ...ids])
      return inspected.stdout
        .split('\n')
        .filter(Boolean)
        .every((line) => {
          const [name = '', state = '', template = ''] = line.split('\t')
          const changed = before?.has(name) === true && before.get(name) !== template
          return !/updating|rollback_started/.test(state) && (!changed || state === 'completed')
        })
    },
    signal,
  )
}

/** The timed removal: what a script must do so that nothing of the stack is left. */
async function removeStack(names: FloorNames, docker: Docker, signal?: AbortSignal): Promise<void> {
  await docker(['stack', 'rm', names.stack])
  await poll(
    `the containers of ${names.stack} to go`,
    async () =>
      (
        await docker(['ps', '-aq', '--filter', `label=${NAMESPACE}=${names.stack}`])
      ).stdout.trim() === '',
    signal,
  )
  await removeLeftNetworks(names.stack, docker)
  for (const volume of names.volumes) {
    await poll(`volume ${volume} to be removed`, () =>
      docker(['volume', 'rm', '-f', volume]).then(
        () => true,
        () => false,
      ),
    )
  }
  if (names.secrets.length > 0) {
    await docker(['secret', 'rm', ...names.secrets])
  }
}

/** `docker stack rm` does not wait: a network its tasks still used may be left behind. */
async function removeLeftNetworks(stack: string, docker: Docker): Promise<void> {
  await poll(`the networks of ${stack} to go`, async () => {
    const left = (
      await docker(['network', 'ls', '-q', '--filter', `label=${NAMESPACE}=${stack}`])
    ).stdout
      .split('\n')
      .filter(Boolean)
    if (left.length > 0) {
      await docker(['network', 'rm', ...left]).catch(() => undefined)
    }
    return left.length === 0
  })
}

/** After a failure: remove whatever of the floor's stack exists, by its names and namespace. */
async function cleanUp(names: FloorNames, docker: Docker): Promise<void> {
  const quiet = (args: string[]) => docker(args).catch(() => undefined)
  if ((await serviceIds(names.stack, docker).catch(() => [])).length > 0) {
    await quiet(['stack', 'rm', names.stack])
  }
  await poll(
    `the containers of ${names.stack} to go`,
    async () =>
      (
        await docker(['ps', '-aq', '--filter', `label=${NAMESPACE}=${names.stack}`])
      ).stdout.trim() === '',
  ).catch(() => undefined)
  await removeLeftNetworks(names.stack, docker).catch(() => undefined)
  const configs = await quiet([
    'config',
    'ls',
    '-q',
    '--filter',
    `label=${NAMESPACE}=${names.stack}`,
  ])
  for (const config of configs?.stdout.split('\n').filter(Boolean) ?? []) {
    await quiet(['config', 'rm', config])
  }
  for (const volume of names.volumes) {
    await quiet(['volume', 'rm', '-f', volume])
  }
  const secrets = await quiet(['secret', 'ls', '--format', '{{.Name}}'])
  const present = secrets?.stdout.split('\n') ?? []
  for (const secret of names.secrets.filter((s) => present.includes(s))) {
    await quiet(['secret', 'rm', secret])
  }
}
