import { expect, test } from 'vitest'
import { useApp } from '../../harness/testing/index.ts'

test('every service of the app runs its desired tasks', async () => {
  const { driver, app } = useApp()
  const services = await driver.ps(app)
  expect(services.length, 'the stack has no services').toBeGreaterThan(0)
  const lagging = services.filter((s) => s.running < s.desired).map((s) => s.status)
  expect(lagging, 'services not converged').toEqual([])
})
