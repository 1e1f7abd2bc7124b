import { z } from 'zod'
import { call, callUnlessMissing, docker } from './docker-client.ts'
import { STACK_NAMESPACE_LABEL, toFilters, type ListFilter } from './filters.ts'
import { ServiceSchema, TaskSchema, type ServicePayload, type TaskPayload } from './schemas.ts'

/** A swarm service as cc-ci sees it. */
export interface ServiceInfo {
  id: string
  name: string
  labels: Record<string, string>
  image: string
  /** Desired replicas; `undefined` for global services. */
  replicas: number | undefined
  global: boolean
  hasHealthcheck: boolean
  updateState: string | undefined
  updateMessage: string | undefined
  publishedPorts: { published: number; target: number; mode: string }[]
  /** The task template, to tell tasks of the current spec from older ones. */
  taskTemplate: unknown
  /** What the service's containers mount (named volumes, binds, tmpfs). */
  mounts: ServiceMount[]
}

/** One mount of a service: for `type: 'volume'`, `source` is the Docker volume name. */
export interface ServiceMount {
  type: string
  source: string
  target: string
  readOnly: boolean
}

export interface TaskInfo {
  id: string
  serviceId: string
  slot: number | undefined
  desiredState: string
  state: string
  message: string
  error: string | undefined
  containerId: string | undefined
  exitCode: number | undefined
  timestamp: string
  image: string
  spec: unknown
}

function toService(raw: ServicePayload): ServiceInfo {
  const spec = raw.Spec
  const container = spec.TaskTemplate.ContainerSpec
  const test = container?.Healthcheck?.Test
  return {
    id: raw.ID,
    name: spec.Name,
    labels: spec.Labels,
    image: (container?.Image ?? '').replace(/@sha256:[0-9a-f]+$/, ''),
    replicas: spec.Mode.Replicated ? (spec.Mode.Replicated.Replicas ?? 1) : undefined,
    global: spec.Mode.Global !== undefined,
    hasHealthcheck: test !== undefined && test[0] !== 'NONE',
    updateState: raw.UpdateStatus?.State,
    updateMessage: raw.UpdateStatus?.Message,
    publishedPorts: (spec.EndpointSpec?.Ports ?? []).map((p) => ({
      published: p.PublishedPort ?? 0,
      target: p.TargetPort ?? 0,
      mode: p.PublishMode ?? 'ingress',
    })),
    taskTemplate: spec.TaskTemplate,
    mounts: (container?.Mounts ?? []).map((m) => ({
      type: m.Type ?? 'volume',
      source: m.Source ?? '',
      target: m.Target,
      readOnly: m.ReadOnly ?? false,
    })),
  }
}

function toTask(raw: TaskPayload): TaskInfo {
  const image = (raw.Spec as { ContainerSpec?: { Image?: string } }).ContainerSpec?.Image ?? ''
  return {
    id: raw.ID,
    serviceId: raw.ServiceID,
    slot: raw.Slot,
    desiredState: raw.DesiredState,
    state: raw.Status.State,
    message: raw.Status.Message ?? '',
    error: raw.Status.Err,
    containerId: raw.Status.ContainerStatus?.ContainerID,
    exitCode: raw.Status.ContainerStatus?.ExitCode,
    timestamp: raw.Status.Timestamp ?? raw.UpdatedAt ?? '',
    image: image.replace(/@sha256:[0-9a-f]+$/, ''),
    spec: raw.Spec,
  }
}

export async function listServices(filter?: ListFilter): Promise<ServiceInfo[]> {
  const raw: unknown = await call('list services', () =>
    docker().listServices({ filters: toFilters(filter) }),
  )
  return z.array(ServiceSchema).parse(raw).map(toService)
}

/** Services of one stack (`com.docker.stack.namespace=<stack>`). */
export function stackServices(stack: string): Promise<ServiceInfo[]> {
  return listServices({ labels: { [STACK_NAMESPACE_LABEL]: stack } })
}

export async function inspectService(nameOrId: string): Promise<ServiceInfo | undefined> {
  const raw: unknown = await callUnlessMissing(`inspect service ${nameOrId}`, () =>
    docker().getService(nameOrId).inspect(),
  )
  return raw === undefined ? undefined : toService(ServiceSchema.parse(raw))
}

/**
 * The tasks of one service, or of several in one request (`GET /tasks` with one `service`
 * filter value per service: the engine ORs them), newest first.
 */
export async function listTasks(serviceIds: string | readonly string[]): Promise<TaskInfo[]> {
  const ids = typeof serviceIds === 'string' ? [serviceIds] : [...serviceIds]
  if (ids.length === 0) {
    return []
  }
  const raw: unknown = await call(`list tasks of ${ids.join(', ')}`, () =>
    docker().listTasks({ filters: JSON.stringify({ service: ids }) }),
  )
  return z
    .array(TaskSchema)
    .parse(raw)
    .map(toTask)
    .sort((a, b) => b.timestamp.localeCompare(a.timestamp))
}

/**
 * Every service of a stack with its tasks (newest first), in two requests whatever the number of
 * services: the stack's services, then the tasks of all of them at once.
 */
export async function stackServiceTasks(
  stack: string,
): Promise<{ service: ServiceInfo; tasks: TaskInfo[] }[]> {
  const services = await stackServices(stack)
  const tasks = await listTasks(services.map((s) => s.id))
  return services.map((service) => ({
    service,
    tasks: tasks.filter((t) => t.serviceId === service.id),
  }))
}

export async function removeService(nameOrId: string): Promise<boolean> {
  const removed = await callUnlessMissing(`remove service ${nameOrId}`, async () => {
    await docker().getService(nameOrId).remove()
    return true
  })
  return removed === true
}

/** Creates a service from a raw Engine API spec (only for cc-ci's own infrastructure). */
export async function createService(spec: Record<string, unknown>): Promise<string> {
  const created = await call(`create service ${String(spec.Name)}`, () =>
    docker().createService(spec as never),
  )
  return z.object({ id: z.string().optional(), ID: z.string().optional() }).parse(created).ID ?? ''
}

/** The last `lines` lines of a service's logs (stdout and stderr interleaved). */
export async function serviceLogs(nameOrId: string, lines = 50): Promise<string> {
  const raw: unknown = await callUnlessMissing(`read logs of ${nameOrId}`, () =>
    docker()
      .getService(nameOrId)
      .logs({ stdout: true, stderr: true, tail: lines, timestamps: false, follow: false }),
  )
  if (raw === undefined) {
    return ''
  }
  return demux(Buffer.isBuffer(raw) ? raw : Buffer.from(typeof raw === 'string' ? raw : ''))
}

/** Decodes Docker's multiplexed stream framing (8-byte headers); plain text passes through. */
function demux(buffer: Buffer): string {
  const parts: Buffer[] = []
  let offset = 0
  while (offset + 8 <= buffer.length) {
    const kind = buffer[offset]
    const size = buffer.readUInt32BE(offset + 4)
    if (
      (kind !== 0 && kind !== 1 && kind !== 2) ||
      buffer[offset + 1] !== 0 ||
      offset + 8 + size > buffer.length
    ) {
      return buffer.toString('utf8')
    }
    parts.push(buffer.subarray(offset + 8, offset + 8 + size))
    offset += 8 + size
  }
  return offset === buffer.length ? Buffer.concat(parts).toString('utf8') : buffer.toString('utf8')
}
