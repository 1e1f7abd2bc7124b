/** One swarm task of a service, as the bundle records it (`services.json`). */
export interface TaskRecord {
  id: string
  slot: number | undefined
  state: string
  desiredState: string
  message: string
  error: string | undefined
  exitCode: number | undefined
  /** When the task reached its state (the engine's timestamp). */
  timestamp: string
  containerId: string | undefined
  image: string
}

/** One service of the run's stack with its tasks, newest first. */
export interface ServiceRecord {
  /** The name within the stack, e.g. `app`. */
  service: string
  /** The swarm service name, `<stack>_<service>`. */
  name: string
  image: string
  /** Desired replicas; undefined for a global service. */
  replicas: number | undefined
  running: number
  updateState: string | undefined
  updateMessage: string | undefined
  tasks: TaskRecord[]
}

/** A service judged: failing or not, and why, in one line. */
export interface ServiceVerdict extends ServiceRecord {
  failing: boolean
  /** Why it is failing (its newest task error first), undefined when it is not. */
  reason: string | undefined
  /** The newest task that failed, if any. */
  failedTask: TaskRecord | undefined
}

const FAILED_STATES = new Set(['failed', 'rejected', 'orphaned'])
const STUCK_UPDATES = new Set(['paused', 'rollback_paused', 'rollback_completed'])

/** A task that ended badly: failed, rejected or orphaned, or stopped with an error. */
export function isFailedTask(task: TaskRecord): boolean {
  return (
    FAILED_STATES.has(task.state) ||
    (task.error !== undefined && task.error !== '' && task.state !== 'running')
  )
}

/** `task error: non-zero exit (3) (exit code 3, failed at 2026-...)`: one failed task, one line. */
export function describeTask(task: TaskRecord): string {
  const what = task.error ?? (task.message === '' ? task.state : task.message)
  const facts = [
    task.exitCode === undefined ? undefined : `exit code ${task.exitCode}`,
    `${task.state} at ${task.timestamp || '?'}`,
  ].filter((f) => f !== undefined)
  return `task error: ${what} (${facts.join(', ')})`
}

function desired(service: ServiceRecord): number {
  return service.replicas ?? 1
}

function judge(service: ServiceRecord): ServiceVerdict {
  const failedTask = service.tasks.find(isFailedTask)
  const down = service.running < desired(service)
  const stuck =
    service.updateState !== undefined && STUCK_UPDATES.has(service.updateState)
      ? `update ${service.updateState}${service.updateMessage ? `: ${service.updateMessage}` : ''}`
      : undefined
  const reasons = [
    failedTask === undefined ? undefined : describeTask(failedTask),
    down ? `${service.running}/${desired(service)} running` : undefined,
    stuck,
  ].filter((r) => r !== undefined)
  const failing = failedTask !== undefined || down || stuck !== undefined
  return {
    ...service,
    failing,
    reason: failing ? reasons.join('; ') : undefined,
    failedTask,
  }
}

/**
 * Judges each service of the stack and orders them for a person: failing services first (those
 * with fewer tasks running than desired before those that recovered, then by how many tasks
 * failed), then the healthy ones; by name within each group.
 */
export function judgeServices(services: readonly ServiceRecord[]): ServiceVerdict[] {
  const failures = (v: ServiceVerdict) => v.tasks.filter(isFailedTask).length
  const rank = (v: ServiceVerdict) => (!v.failing ? 2 : v.running < desired(v) ? 0 : 1)
  return services
    .map(judge)
    .sort(
      (a, b) =>
        rank(a) - rank(b) || failures(b) - failures(a) || a.service.localeCompare(b.service),
    )
}

/** The bundle's one-line headline: the failing service(s) with the first one's task error. */
export function headline(verdicts: readonly ServiceVerdict[]): string {
  const failing = verdicts.filter((v) => v.failing)
  if (verdicts.length === 0) {
    return 'no service of the run was found'
  }
  if (failing.length === 0) {
    return `no failing service (${verdicts.length} service${verdicts.length === 1 ? '' : 's'} running as desired)`
  }
  const [first, ...others] = failing
  const more =
    others.length === 0 ? '' : ` (also failing: ${others.map((o) => o.service).join(', ')})`
  return `failing service ${first?.service ?? '?'}: ${first?.reason ?? ''}${more}`
}
