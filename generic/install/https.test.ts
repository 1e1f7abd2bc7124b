import { expect, test } from 'vitest'
import { useApp } from '../../harness/testing/index.ts'

test('the app answers over HTTPS with the expected status', async () => {
  const { run, waitForHttp } = useApp()
  const { path, statuses } = run.health
  const response = await waitForHttp(path, (r) => statuses.includes(r.status), 90_000)
  expect(
    statuses,
    `GET ${run.url}${path.slice(1)} answered ${response.status}: ${response.body.slice(0, 300)}`,
  ).toContain(response.status)
})
