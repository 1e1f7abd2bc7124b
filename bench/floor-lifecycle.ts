import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { CcciError } from '../harness/errors.ts'
import { showFile } from '../harness/git/index.ts'
import { runCommand, type CommandOptions, type CommandResult } from '../harness/process/index.ts'

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

/**
 * The unavoidable Docker work of the fixture's lifecycle, done directly with the Docker CLI and
 * no cc-ci: the equivalent of this shell script, timed phase by phase.
 *
 *   deploy    docker secret create $S_token_v1 -; docker stack deploy -c base/compose.yml $S; converge
 *   redeploy  docker stack deploy -c head/compose.yml $S; converge
 *   backup    docker run --rm -v $S_content:/v -v $B:/b busybox tar c -f /b/backup.tar -C /v .
 *   restore   docker run --rm -v $S_content:/v -v $B:/b busybox sh -c 'empty /v; tar x -f /b/backup.tar -C /v'
 *   remove    docker stack rm $S; wait until its containers are gone; docker volume rm; docker secret rm
 *
 * converge = `docker service ls` shows N/N replicas for every service of the stack (a task with a
 * healthcheck counts once healthy) and `docker service inspect` shows no rolling update running.
 */
export async function floorLifecycle(input: FloorInput): Promise<FloorSample> {
  const id = randomBytes(3).toString('hex')
  const stack = `ccbench_floor_${id}`
  const names = { stack, secret: `${stack}_token_v1`, volume: `${stack}_content` }
  const work = mkdtempSync(join(tmpdir(), 'ccci-bench-floor-'))
  const env = {
    DOCKER_HOST: input.dockerHost,
    STACK_NAME: stack,
    DOMAIN: `floor-${id}.ccci.localhost`,
    EXTRA_DOMAINS: '',
    LETS_ENCRYPT_ENV: '',
    SITE_TITLE: 'Hello from the floor',
    SECRET_TOKEN_VERSION: 'v1',
    ENTRYPOINT_VERSION: 'v1',
  }
  const docker: Docker = (args, extra = {}) =>
    runCommand('docker', args, { timeoutMs: DEADLINE_MS, env, cleanEnv: true, ...extra })
  const mounts = ['-v', `${names.volume}:/v`, '-v', `${work}:/b`]
  const helper = (script: string) => docker(['run', '--rm', ...mounts, BUSYBOX, 'sh', '-c', script])
  const deploy = async (version: 'base' | 'head') => {
    const dir = join(work, version)
    await docker(['stack', 'deploy', '--resolve-image', 'never', '-c', 'compose.yml', stack], {
      cwd: dir,
    })
    await converge(stack, docker, input.signal)
  }
  let removed = false
  try {
    for (const version of ['base', 'head'] as const) {
      mkdirSync(join(work, version))
      for (const file of ['compose.yml', 'entrypoint.sh']) {
        writeFileSync(
          join(work, version, file),
          (await showFile(input.repo, input[version], file)) ?? '',
        )
      }
    }
    const steps: Record<FloorPhase, () => Promise<unknown>> = {
      deploy: async () => {
        await docker(['secret', 'create', names.secret, '-'], {
          input: randomBytes(16).toString('hex'),
        })
        await deploy('base')
      },
      redeploy: () => deploy('head'),
      backup: () => helper('tar c -f /b/backup.tar -C /v .'),
      restore: () =>
        helper('find /v -mindepth 1 -maxdepth 1 -exec rm -rf {} + && tar x -f /b/backup.tar -C /v'),
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

async function converge(stack: string, docker: Docker, signal: AbortSignal): Promise<void> {
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
      const updates = await docker([
        'service',
        'inspect',
        '--format',
        '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}',
        ...ids,
      ])
      return !/updating|rollback_started/.test(updates.stdout)
    },
    signal,
  )
}

/** The timed removal: what a script must do so that nothing of the stack is left. */
async function removeStack(
  names: { stack: string; secret: string; volume: string },
  docker: Docker,
  signal?: AbortSignal,
): Promise<void> {
  await docker(['stack', 'rm', names.stack])
  await poll(
    `the containers of ${names.stack} to go`,
    async () =>
      (
        await docker(['ps', '-aq', '--filter', `label=${NAMESPACE}=${names.stack}`])
      ).stdout.trim() === '',
    signal,
  )
  await poll(`volume ${names.volume} to be removed`, () =>
    docker(['volume', 'rm', '-f', names.volume]).then(
      () => true,
      () => false,
    ),
  )
  await docker(['secret', 'rm', names.secret])
}

/** After a failure: remove whatever of the floor's stack exists, by its names and namespace. */
async function cleanUp(
  names: { stack: string; secret: string; volume: string },
  docker: Docker,
): Promise<void> {
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
  await quiet(['volume', 'rm', '-f', names.volume])
  const secrets = await quiet(['secret', 'ls', '--format', '{{.Name}}'])
  if (secrets?.stdout.split('\n').includes(names.secret) === true) {
    await quiet(['secret', 'rm', names.secret])
  }
}
