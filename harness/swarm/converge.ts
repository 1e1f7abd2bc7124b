import { serviceLogs, stackServiceTasks, type ServiceInfo, type TaskInfo } from '../docker/index.ts'
import { CcciError, tail, type Evidence } from '../errors.ts'
import { pollFor } from '../poll.ts'

/** Container spec fields whose change makes swarm replace a service's tasks. */
const SPEC_KEYS = [
  'Image',
  'Args',
  'Command',
  'Env',
  'Labels',
  'Mounts',
  'Secrets',
  'Configs',
  'Healthcheck',
  'User',
  'Dir',
  'Hostname',
]

function specKey(spec: unknown): string {
  const s = (spec ?? {}) as { ContainerSpec?: Record<string, unknown>; ForceUpdate?: number }
  const container = s.ContainerSpec ?? {}
  const image =
    typeof container.Image === 'string'
      ? container.Image.replace(/@sha256:[0-9a-f]+$/, '')
      : undefined
  return JSON.stringify([
    ...SPEC_KEYS.map((key) => (key === 'Image' ? image : container[key])),
    s.ForceUpdate ?? 0,
  ])
}

const FAILED_STATES = new Set(['failed', 'rejected', 'orphaned'])

export interface ServiceConvergence {
  service: ServiceInfo
  /** Tasks of the service's current spec, newest first. */
  current: TaskInfo[]
  running: number
  desired: number
  failures: TaskInfo[]
  /** Failed tasks of any spec, newest first (a rolled-back update's failures are of the old spec). */
  recentFailures: TaskInfo[]
  converged: boolean
  /** Set when waiting longer cannot help (a paused or rolled-back update). */
  stuck: string | undefined
}

/**
 * Where one service stands, pure: running tasks of its current spec against the desired count.
 * `tasks` are the service's tasks (any spec), newest first. Converged means Docker is done: no
 * rolling update or rollback in progress (Swarm keeps `UpdateStatus` at `updating` through the
 * update's own monitor window, `update_config.monitor`, and sets `completed` after it; a fresh
 * deploy, or an update that replaced no task, has no such status), the desired number of tasks of
 * the current spec running (a task with a healthcheck is `running` only once healthy), and no
 * task of an older spec still running.
 */
export function convergenceOf(
  service: ServiceInfo,
  tasks: readonly TaskInfo[],
): ServiceConvergence {
  const key = specKey(service.taskTemplate)
  const current = tasks.filter((task) => specKey(task.spec) === key)
  const running = current.filter(
    (t) => t.desiredState === 'running' && t.state === 'running',
  ).length
  const desired =
    service.replicas ?? Math.max(1, current.filter((t) => t.desiredState === 'running').length)
  const failures = current.filter(
    (t) =>
      FAILED_STATES.has(t.state) ||
      (t.state === 'shutdown' && t.error !== undefined) ||
      (t.state === 'complete' && t.desiredState !== 'shutdown' && service.replicas !== 0),
  )
  const updating = service.updateState === 'updating' || service.updateState === 'rollback_started'
  const stuck =
    service.updateState === 'paused' ||
    service.updateState === 'rollback_paused' ||
    service.updateState === 'rollback_completed'
      ? `update ${service.updateState}: ${service.updateMessage ?? ''}`.trim()
      : undefined
  const surplus = tasks.some(
    (t) => t.desiredState === 'running' && specKey(t.spec) !== key && t.state === 'running',
  )
  return {
    service,
    current,
    running,
    desired,
    failures,
    recentFailures: tasks.filter(
      (t) => FAILED_STATES.has(t.state) || (t.state === 'shutdown' && t.error !== undefined),
    ),
    converged: !updating && stuck === undefined && running >= desired && !surplus,
    stuck,
  }
}

/** Where every service of a stack stands, in two Engine requests (`stackServiceTasks`). */
export async function stackConvergence(stack: string): Promise<ServiceConvergence[]> {
  return (await stackServiceTasks(stack)).map(({ service, tasks }) => convergenceOf(service, tasks))
}

/** One line per service, e.g. `app 1/1` or `db 0/1 (starting)`. */
export function describeConvergence(states: readonly ServiceConvergence[], stack: string): string {
  return states
    .map((s) => {
      const short = s.service.name.slice(stack.length + 1) || s.service.name
      const newest = s.current[0]
      const detail = s.converged
        ? ''
        : ` (${newest === undefined ? 'no task yet' : newest.state}${newest?.error ? `: ${newest.error}` : ''})`
      return `${short} ${s.running}/${s.desired}${detail}`
    })
    .join(', ')
}

/**
 * The fail-fast rule, pure. Swarm keeps retrying a task that exits (an app waiting for its
 * database may need a few tries), so only what retrying cannot cure ends the wait early: a
 * service with nothing running whose image is not on the host (a task rejected with "No such
 * image": the node already tried to pull it), or whose current spec had `failFastAfter` tasks
 * rejected (a missing secret or mount), or a paused or rolled-back update.
 */
/** How Docker rejects a task whose image is neither on the node nor pullable. */
const NO_IMAGE = /No such image/i

export function isHopeless(
  state: Pick<ServiceConvergence, 'stuck' | 'running' | 'failures'>,
  failFastAfter: number,
): boolean {
  return (
    state.stuck !== undefined ||
    (state.running === 0 &&
      (state.failures.some((t) => t.state === 'rejected' && NO_IMAGE.test(t.error ?? '')) ||
        state.failures.filter((t) => t.state === 'rejected').length >= failFastAfter))
  )
}

/**
 * How often convergence is polled: tightly (Docker's own work, a task start or an update's
 * monitor window, ends at a moment we cannot predict; two list requests per round are cheap).
 */
export const CONVERGE_POLL_MS = 250

export interface ConvergeOptions {
  timeoutMs: number
  /** Give up early on a service whose current spec had this many tasks rejected and none running. */
  failFastAfter?: number
  onProgress?: (line: string) => void
  pollMs?: number
  signal?: AbortSignal
}

/**
 * Waits until every service of a stack runs its desired number of tasks of its current spec
 * (healthy, where a healthcheck exists). Fails with the failing tasks' errors and the services'
 * recent logs when the deadline passes, an update is paused or rolled back, or a service keeps
 * failing.
 */
export async function waitForConvergence(
  stack: string,
  options: ConvergeOptions,
): Promise<ServiceConvergence[]> {
  const failFastAfter = options.failFastAfter ?? 3
  const interrupted = () =>
    new CcciError('CCCI_INTERRUPTED', `stopped waiting for ${stack}: the run was interrupted`, {
      hint: 'the teardown removes what the run created; run it again',
    })
  const polling = {
    timeoutMs: options.timeoutMs,
    intervalMs: options.pollMs ?? CONVERGE_POLL_MS,
    signal: options.signal,
    aborted: interrupted,
  }
  let lastLine = ''
  return pollFor(async (round) => {
    const states = await stackConvergence(stack)
    const line = describeConvergence(states, stack)
    if (line !== lastLine) {
      options.onProgress?.(line)
      lastLine = line
    }
    if (states.length > 0 && states.every((s) => s.converged)) {
      return states
    }
    if (options.signal?.aborted === true) {
      throw interrupted()
    }
    const hopeless = states.filter((s) => isHopeless(s, failFastAfter))
    if (hopeless.length > 0 || round.expired()) {
      const failing = hopeless.length > 0 ? hopeless : states.filter((s) => !s.converged)
      throw await notConverged(stack, failing, hopeless.length > 0 ? undefined : options.timeoutMs)
    }
    return undefined
  }, polling)
}

async function notConverged(
  stack: string,
  failing: ServiceConvergence[],
  timeoutMs: number | undefined,
): Promise<CcciError> {
  const evidence: Evidence[] = []
  const reasons: string[] = []
  for (const state of failing) {
    const short = state.service.name.slice(stack.length + 1) || state.service.name
    const errors = [
      ...new Set(
        state.failures.map(
          (t) => t.error ?? `${t.state}: ${t.message} (exit ${t.exitCode ?? '?'})`,
        ),
      ),
    ]
    const newest = state.current[0]
    const failed = state.recentFailures[0]
    const failedWhy =
      failed === undefined ? undefined : (failed.error ?? `${failed.state}: ${failed.message}`)
    const reason =
      state.stuck !== undefined
        ? `${state.stuck}${failedWhy === undefined ? '' : `; the new task failed: ${failedWhy}`}`
        : (errors[0] ??
          (newest === undefined
            ? 'no task was scheduled'
            : `task ${newest.state}: ${newest.message}`))
    reasons.push(`${short}: ${reason}`)
    evidence.push({
      label: `tasks of ${short} (newest first)`,
      text: (state.stuck === undefined
        ? state.current
        : [...state.current, ...state.recentFailures]
      )
        .slice(0, 6)
        .map((t) => `${t.state.padEnd(9)} ${t.image}  ${t.error ?? t.message}`)
        .join('\n'),
    })
    evidence.push({
      label: `logs of ${short} (last 30 lines)`,
      text: tail(await serviceLogs(state.service.id, 30).catch(() => ''), 30),
    })
  }
  const when =
    timeoutMs === undefined
      ? 'it keeps failing'
      : `not converged after ${Math.round(timeoutMs / 1000)}s`
  return new CcciError(
    'CCCI_NOT_CONVERGED',
    `deploy of ${stack} failed, ${when}: ${reasons.join('; ')}`,
    {
      evidence,
      hint: 'fix the failing service named above (image, command, healthcheck, secrets, config); its task errors and logs are shown',
    },
  )
}
