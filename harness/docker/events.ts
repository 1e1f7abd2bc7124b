import { z } from 'zod'
import { call, docker } from './docker-client.ts'

/** One Docker event (`GET /events`), as cc-ci keeps it. */
export interface DockerEvent {
  /** ISO time with the engine's nanosecond precision cut to milliseconds. */
  time: string
  /** `container`, `service`, `network`, `volume`, `secret`, `config`... */
  type: string
  action: string
  actorId: string
  /** The actor's attributes (name, image, exitCode, labels...). */
  attributes: Record<string, string>
}

const EventSchema = z.looseObject({
  Type: z.string().default(''),
  Action: z.string().default(''),
  Actor: z
    .looseObject({
      ID: z.string().default(''),
      Attributes: z.record(z.string(), z.string()).default({}),
    })
    .default({ ID: '', Attributes: {} }),
  time: z.number().optional(),
  timeNano: z.number().optional(),
})

export interface EventQuery {
  since: Date
  until: Date
  /** Engine API event filters, e.g. `{ label: ['com.docker.stack.namespace=x'] }` (values OR'ed). */
  filters: Record<string, string[]>
  /** Stop reading after this many events. */
  limit: number
}

function toEvent(raw: z.infer<typeof EventSchema>): DockerEvent {
  const ms = raw.timeNano !== undefined ? Math.floor(raw.timeNano / 1e6) : (raw.time ?? 0) * 1000
  return {
    time: new Date(ms).toISOString(),
    type: raw.Type,
    action: raw.Action,
    actorId: raw.Actor.ID,
    attributes: raw.Actor.Attributes,
  }
}

/**
 * The events the engine recorded between `since` and `until` (`GET /events`): a bounded query,
 * so the stream ends on its own. Lines that are not events are skipped.
 */
export async function dockerEvents(query: EventQuery): Promise<DockerEvent[]> {
  const stream = await call('read events', () =>
    docker().getEvents({
      since: Math.floor(query.since.getTime() / 1000),
      until: Math.ceil(query.until.getTime() / 1000),
      filters: JSON.stringify(query.filters),
    }),
  )
  const events: DockerEvent[] = []
  let pending = ''
  const take = (line: string): void => {
    if (line.trim() === '' || events.length >= query.limit) {
      return
    }
    let json: unknown
    try {
      json = JSON.parse(line)
    } catch {
      return
    }
    const parsed = EventSchema.safeParse(json)
    if (parsed.success) {
      events.push(toEvent(parsed.data))
    }
  }
  await call(
    'read events',
    () =>
      new Promise<void>((resolve, reject) => {
        stream.on('data', (chunk: Buffer | string) => {
          pending += chunk.toString()
          const lines = pending.split('\n')
          pending = lines.pop() ?? ''
          lines.forEach(take)
        })
        stream.on('end', () => {
          take(pending)
          resolve()
        })
        stream.on('error', reject)
      }),
  )
  return events
}
