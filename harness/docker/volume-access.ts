import { z } from 'zod'
import { call, docker } from './docker-client.ts'
import { STACK_NAMESPACE_LABEL } from './filters.ts'

/**
 * Where a volume can be reached without a helper container: a running container of the app's
 * stack that mounts it whole, and the path it is mounted at. Docker's archive API (`docker cp`)
 * reads and writes there through the daemon, so the container needs no shell or tar of its own.
 */
export interface VolumeAccess {
  containerId: string
  /** The mount's destination inside the container: the volume's root. */
  path: string
}

/** One mount of a running container, as `docker container inspect` shows it. */
export interface ContainerMount {
  type: string
  /** The volume's name (volume mounts only). */
  name: string | undefined
  destination: string
  rw: boolean
  /** Set when only a folder of the volume is mounted (compose `volume.subpath`). */
  subpath: string | undefined
}

export interface RunningContainer {
  id: string
  mounts: ContainerMount[]
}

/**
 * The first container that mounts `volume` whole (no subpath), read-write when `write`; undefined
 * when none does (the caller falls back to a helper container). Pure.
 */
export function pickVolumeAccess(
  containers: readonly RunningContainer[],
  volume: string,
  write: boolean,
): VolumeAccess | undefined {
  for (const container of containers) {
    const mount = container.mounts.find(
      (m) =>
        m.type === 'volume' &&
        m.name === volume &&
        m.subpath === undefined &&
        m.destination.startsWith('/') &&
        (m.rw || !write),
    )
    if (mount !== undefined) {
      return { containerId: container.id, path: mount.destination }
    }
  }
  return undefined
}

const InspectMountsSchema = z.object({
  Id: z.string(),
  State: z.object({ Running: z.boolean() }).optional(),
  Mounts: z
    .array(
      z.object({
        Type: z.string().optional(),
        Name: z.string().optional(),
        Destination: z.string(),
        RW: z.boolean().optional(),
      }),
    )
    .nullish(),
  HostConfig: z
    .object({
      Mounts: z
        .array(
          z.object({
            Source: z.string().optional(),
            Target: z.string().optional(),
            VolumeOptions: z.object({ Subpath: z.string().optional() }).nullish(),
          }),
        )
        .nullish(),
    })
    .optional(),
})

/** The running containers of a stack with their mounts (one inspect each). */
export async function runningStackContainers(stack: string): Promise<RunningContainer[]> {
  const listed = z.array(z.object({ Id: z.string() })).parse(
    await call(`list running containers of ${stack}`, () =>
      docker().listContainers({
        filters: { label: [`${STACK_NAMESPACE_LABEL}=${stack}`], status: ['running'] },
      }),
    ),
  )
  const inspected = await Promise.all(
    listed.map(async ({ Id }) =>
      InspectMountsSchema.parse(
        await call(`inspect container ${Id.slice(0, 12)}`, () =>
          docker().getContainer(Id).inspect(),
        ),
      ),
    ),
  )
  return inspected
    .filter((c) => c.State?.Running !== false)
    .map((c) => ({
      id: c.Id,
      mounts: (c.Mounts ?? []).map((m) => ({
        type: m.Type ?? '',
        name: m.Name,
        destination: m.Destination,
        rw: m.RW ?? false,
        subpath:
          c.HostConfig?.Mounts?.find((h) => h.Target === m.Destination)?.VolumeOptions?.Subpath ||
          undefined,
      })),
    }))
}

/** Where `volume` can be read (or written) through a running container of `stack`, if anywhere. */
export async function findVolumeAccess(
  stack: string,
  volume: string,
  write: boolean,
): Promise<VolumeAccess | undefined> {
  return pickVolumeAccess(await runningStackContainers(stack), volume, write)
}
