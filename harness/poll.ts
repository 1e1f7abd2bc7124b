/** Sleeps `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Calls `check` every `intervalMs` until it returns `undefined` (done) or the deadline passes;
 * then resolves with its last answer (what is still pending), for the caller's error message.
 */
export async function pollUntil(
  check: () => Promise<string | undefined>,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<string | undefined> {
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    const pending = await check()
    if (pending === undefined || Date.now() >= deadline) {
      return pending
    }
    await sleep(options.intervalMs ?? 1_000)
  }
}
