import { z } from 'zod'
import { call, callUnlessMissing, docker } from './docker-client.ts'

/** An untagged image: what a rebuild of a tag leaves behind. */
export interface DanglingImage {
  id: string
  /** When it was built, in ms since the epoch. */
  createdMs: number
  sizeBytes: number
}

const ImageListSchema = z.array(z.object({ Id: z.string(), Created: z.number(), Size: z.number() }))

export async function listDanglingImages(): Promise<DanglingImage[]> {
  const raw = await call('list dangling images', () =>
    docker().listImages({ filters: JSON.stringify({ dangling: ['true'] }) }),
  )
  return ImageListSchema.parse(raw).map((i) => ({
    id: i.Id,
    createdMs: i.Created * 1000,
    sizeBytes: i.Size,
  }))
}

/** The image ids every container (running or not) was created from. */
export async function imagesInUse(): Promise<Set<string>> {
  const raw = await call('list containers', () => docker().listContainers({ all: true }))
  return new Set(
    z
      .array(z.object({ ImageID: z.string() }))
      .parse(raw)
      .map((c) => c.ImageID),
  )
}

/** Removes one image by id, never forcing: Docker refuses an image a container uses. */
export async function removeImageById(id: string): Promise<void> {
  await callUnlessMissing(`remove image ${id.slice(7, 19)}`, () =>
    docker().getImage(id).remove({ force: false, noprune: false }),
  )
}

/** Removes build cache not used for `hours`; returns the bytes reclaimed. */
export async function pruneBuildCache(hours: number): Promise<number> {
  const modem = docker().modem as unknown as {
    dial: (options: Record<string, unknown>, done: (error: unknown, data: unknown) => void) => void
  }
  const raw = await call(
    'prune the build cache',
    () =>
      new Promise<unknown>((resolve, reject) =>
        modem.dial(
          {
            path: '/build/prune?',
            method: 'POST',
            options: { filters: JSON.stringify({ until: [`${hours}h`] }) },
            statusCodes: { 200: true, 500: 'server error' },
          },
          (error, data) =>
            error === null || error === undefined
              ? resolve(data)
              : reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        ),
      ),
  )
  return z.object({ SpaceReclaimed: z.number().optional() }).parse(raw).SpaceReclaimed ?? 0
}

/** Where the engine keeps images and volumes (`docker info` DockerRootDir). */
export async function dockerRootDir(): Promise<string> {
  const raw: unknown = await call('docker info', () => docker().info())
  return z.object({ DockerRootDir: z.string() }).parse(raw).DockerRootDir
}
