import type { DockerEvent } from '../docker/index.ts'

/** Attributes worth a person's attention; labels and the rest stay out of the bundle. */
const SHOWN = ['image', 'exitCode', 'signal', 'updatestate.new', 'updatestate.old', 'replicas.new']

/** Health checks run an exec every few seconds: `exec_create: wget ...`, noise for a person. */
const EXEC = /^exec_/

/**
 * `events.txt`: one event a line, oldest first: `<time> <type> <action> <name> (exitCode=1, ...)`;
 * exec events (health checks) only counted.
 */
export function formatEvents(events: readonly DockerEvent[]): string {
  const execs = events.filter((e) => EXEC.test(e.action)).length
  const shown = events.filter((e) => !EXEC.test(e.action))
  const tail = execs === 0 ? '' : `(${execs} exec events, health checks mostly, left out)\n`
  if (shown.length === 0) {
    return `no Docker events of the run were recorded\n${tail}`
  }
  return [...shown]
    .sort((a, b) => a.time.localeCompare(b.time))
    .map((e) => {
      const name = e.attributes.name ?? e.actorId.slice(0, 12)
      const facts = SHOWN.filter((key) => e.attributes[key] !== undefined).map(
        (key) => `${key}=${e.attributes[key] ?? ''}`,
      )
      return `${e.time} ${e.type} ${e.action} ${name}${facts.length === 0 ? '' : ` (${facts.join(', ')})`}`
    })
    .join('\n')
    .concat('\n', tail)
}
