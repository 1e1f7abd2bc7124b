import { PassThrough } from 'node:stream'
import { z } from 'zod'
import { CcciError } from '../errors.ts'
import { call, callUnlessMissing, docker } from './docker-client.ts'
import { ExecInspectSchema } from './schemas.ts'

export interface ExecResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** Runs a command inside a running container and collects its output, with a deadline. */
export async function execInContainer(
  containerId: string,
  command: readonly string[],
  options: { timeoutMs: number; env?: string[]; user?: string },
): Promise<ExecResult> {
  const container = docker().getContainer(containerId)
  const exec = await call(`create exec in ${containerId.slice(0, 12)}`, () =>
    container.exec({
      Cmd: [...command],
      AttachStdout: true,
      AttachStderr: true,
      Env: options.env,
      User: options.user,
    }),
  )
  const stream = await call('start exec', () => exec.start({ hijack: true, stdin: false }))
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: Buffer[] = []
  const err: Buffer[] = []
  stdout.on('data', (chunk: Buffer) => out.push(chunk))
  stderr.on('data', (chunk: Buffer) => err.push(chunk))
  docker().modem.demuxStream(stream, stdout, stderr)
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve)
    stream.on('close', resolve)
    stream.on('error', reject)
  })
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs)
  })
  const outcome = await Promise.race([finished.then(() => 'done' as const), deadline])
  clearTimeout(timer)
  if (outcome === 'timeout') {
    stream.destroy()
    throw new CcciError(
      'CCCI_EXEC_TIMEOUT',
      `\`${command.join(' ')}\` in container ${containerId.slice(0, 12)} did not finish within ${Math.round(options.timeoutMs / 1000)}s`,
      { hint: 'the command hangs inside the container; check it by hand with `docker exec`' },
    )
  }
  const inspected = ExecInspectSchema.parse(await call('inspect exec', () => exec.inspect()))
  return {
    exitCode: inspected.ExitCode ?? -1,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  }
}

/** Copies a tar archive into a container at `path` (which must exist). */
export async function putArchive(
  containerId: string,
  path: string,
  tar: NodeJS.ReadableStream | Buffer,
): Promise<void> {
  await call(`copy files into ${containerId.slice(0, 12)}:${path}`, () =>
    docker().getContainer(containerId).putArchive(tar, { path }),
  )
}

/** A tar stream of `path` inside a container (like `docker cp`). */
export async function getArchive(
  containerId: string,
  path: string,
): Promise<NodeJS.ReadableStream> {
  return call(`copy ${path} out of ${containerId.slice(0, 12)}`, () =>
    docker().getContainer(containerId).getArchive({ path }),
  )
}

/** Like {@link putArchive}, but false when the container (or `path` in it) does not exist. */
export async function putArchiveUnlessMissing(
  containerId: string,
  path: string,
  tar: NodeJS.ReadableStream | Buffer,
): Promise<boolean> {
  const done = await callUnlessMissing(
    `copy files into ${containerId.slice(0, 12)}:${path}`,
    async () => {
      await docker().getContainer(containerId).putArchive(tar, { path })
      return true
    },
  )
  return done === true
}

/** Like {@link getArchive}, but undefined when the path (or the container) does not exist. */
export async function getArchiveUnlessMissing(
  containerId: string,
  path: string,
): Promise<NodeJS.ReadableStream | undefined> {
  return callUnlessMissing(`copy ${path} out of ${containerId.slice(0, 12)}`, () =>
    docker().getContainer(containerId).getArchive({ path }),
  )
}

export interface HelperContainer {
  id: string
  remove(): Promise<void>
}

/**
 * Starts a short-lived helper container (e.g. to read or write volumes for a backup). It carries
 * `labels` so the janitor can find it if this process dies before `remove()`.
 */
export async function startHelper(options: {
  image: string
  name: string
  command: string[]
  mounts: { volume: string; target: string; readOnly?: boolean }[]
  labels: Record<string, string>
}): Promise<HelperContainer> {
  const container = await call(`create helper container ${options.name}`, () =>
    docker().createContainer({
      name: options.name,
      Image: options.image,
      Cmd: options.command,
      Labels: options.labels,
      HostConfig: {
        Mounts: options.mounts.map((m) => ({
          Type: 'volume' as const,
          Source: m.volume,
          Target: m.target,
          ReadOnly: m.readOnly ?? false,
        })),
      },
    }),
  )
  await call(`start helper container ${options.name}`, () => container.start())
  return {
    id: container.id,
    remove: async () => {
      await call(`remove helper container ${options.name}`, () => container.remove({ force: true }))
    },
  }
}

/** The id of a running container, or undefined. */
export async function containerRunning(containerId: string): Promise<boolean> {
  const info = await call(`inspect container ${containerId.slice(0, 12)}`, () =>
    docker().getContainer(containerId).inspect(),
  )
  return z.object({ State: z.object({ Running: z.boolean() }) }).parse(info).State.Running
}
