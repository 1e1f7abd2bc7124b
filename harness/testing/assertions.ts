import { vitestRuntime } from '../vitest/vitest-runtime.ts'
import type { AppHandle } from './app-handle.ts'

/** Every service of the app runs its desired number of tasks. */
export async function expectConverged({ driver, app }: AppHandle): Promise<void> {
  const { expect } = vitestRuntime()
  const services = await driver.ps(app)
  expect(services.length, 'the stack has no services').toBeGreaterThan(0)
  const lagging = services.filter((s) => s.running < s.desired).map((s) => s.status)
  expect(lagging, 'services not converged').toEqual([])
}

/**
 * The app answers its health path over HTTPS with an expected status (recipe.ts `health`; by
 * default any status below 400), polled up to `timeoutMs`.
 */
export async function expectServes(
  { run, waitForHttp }: AppHandle,
  timeoutMs = 90_000,
): Promise<void> {
  const { expect } = vitestRuntime()
  const { path, statuses } = run.health
  const expected = (status: number) =>
    statuses === undefined ? status < 400 : statuses.includes(status)
  const response = await waitForHttp(path, (r) => expected(r.status), timeoutMs)
  expect(
    expected(response.status),
    `GET ${run.url}${path.slice(1)} answered ${response.status}, expected ${statuses?.join(' or ') ?? 'a status below 400'}: ${response.body.slice(0, 300)}`,
  ).toBe(true)
}
