/**
 * The one wait loop of the harness. Every "try, and again after a pause, until a deadline" goes
 * through `pollRounds` (or `pollUntil` on top of it), so deadlines, interruption and tests work
 * the same everywhere: the clock is injectable, the pauses end when the run is interrupted.
 */

/** Time as the wait loops see it; tests inject one that only moves when slept on. */
export interface Clock {
  now(): number
  /** Resolves after `ms`; rejects with the signal's reason as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** The reason an aborted signal carries, as an Error. */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error
    ? reason
    : new Error(typeof reason === 'string' ? reason : 'aborted')
}

/** Sleeps `ms` milliseconds; with a signal, stops early (rejecting with its reason) on abort. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal === undefined) {
    return new Promise((resolve) => setTimeout(resolve, ms))
  }
  if (signal.aborted) {
    return Promise.reject(abortReason(signal))
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortReason(signal))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * `work`, or `fail()` once `ms` have passed (the timer is cleared either way; a late rejection of
 * `work` is ignored).
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, fail: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(fail()), ms)
  })
  work.catch(() => undefined)
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** The real clock: `Date.now()` and timers. */
export const systemClock: Clock = { now: () => Date.now(), sleep }

export interface PollOptions {
  /** How long the rounds go on; `expired()` says when it has passed. */
  timeoutMs: number
  /** Pause between rounds (default 1 s). */
  intervalMs?: number
  /** Ends the wait (after the current round, or during the pause) by throwing `aborted()`. */
  signal?: AbortSignal
  /** The error an abort throws; default: the signal's reason. */
  aborted?: () => Error
  clock?: Clock
}

/** One round of a wait loop. */
export interface PollRound {
  /** 1 for the first round. */
  readonly attempt: number
  /** Whether the deadline has passed (now; it is asked after the round's work). */
  expired(): boolean
}

/**
 * Rounds of a wait loop: yields at once, then after each pause of `intervalMs`, forever. The loop
 * body does the work and ends the loop itself (`return`, `break` or `throw`, typically when the
 * work is done or `round.expired()`); an aborted `signal` ends it with `aborted()` after the round
 * in which it aborted (the first round always runs).
 */
export async function* pollRounds(options: PollOptions): AsyncGenerator<PollRound, never, void> {
  const clock = options.clock ?? systemClock
  const deadline = clock.now() + options.timeoutMs
  const { signal } = options
  const isAborted = () => signal?.aborted === true
  const aborted = () =>
    options.aborted?.() ?? (signal === undefined ? new Error('aborted') : abortReason(signal))
  for (let attempt = 1; ; attempt++) {
    yield { attempt, expired: () => clock.now() >= deadline }
    if (isAborted()) {
      throw aborted()
    }
    try {
      await clock.sleep(options.intervalMs ?? 1_000, signal)
    } catch (error) {
      throw isAborted() ? aborted() : error
    }
  }
}

/**
 * Runs `work` once a round until it returns a value (not `undefined`), which it resolves with;
 * `work` gives up by throwing (typically when `round.expired()`).
 */
export async function pollFor<T>(
  work: (round: PollRound) => Promise<T | undefined>,
  options: PollOptions,
): Promise<T> {
  for await (const round of pollRounds(options)) {
    const result = await work(round)
    if (result !== undefined) {
      return result
    }
  }
  throw new Error('unreachable: pollRounds never ends by itself')
}

/**
 * Calls `check` every `intervalMs` until it returns `undefined` (done) or the deadline passes;
 * then resolves with its last answer (what is still pending), for the caller's error message.
 */
export async function pollUntil(
  check: () => Promise<string | undefined>,
  options: PollOptions,
): Promise<string | undefined> {
  for await (const round of pollRounds(options)) {
    const pending = await check()
    if (pending === undefined || round.expired()) {
      return pending
    }
  }
  throw new Error('unreachable: pollRounds never ends by itself')
}
