import { describe, expect, test } from 'vitest'
import { descendantsOf, listProcesses, type ProcessEntry } from '../../harness/process/index.ts'
import { tierWorkers } from '../../harness/vitest/own-signals.ts'

const node = '/opt/node/bin/node'
const PROCESSES: ProcessEntry[] = [
  { pid: 1, ppid: 0, command: '/sbin/init' },
  { pid: 10, ppid: 1, command: `${node} /ci/node_modules/vitest/vitest.mjs run --project x` },
  {
    pid: 11,
    ppid: 10,
    command: `${node} --conditions node /ci/node_modules/vitest/dist/workers/forks.js`,
  },
  { pid: 12, ppid: 10, command: 'vitest-watchdog' },
  { pid: 13, ppid: 10, command: `${node} /ci/node_modules/vitest/dist/workers/watchdog.js` },
  { pid: 14, ppid: 10, command: 'docker stack deploy -c compose.yml app' },
  { pid: 20, ppid: 11, command: 'sh -eu install-steps.sh' },
  { pid: 21, ppid: 20, command: 'sleep 600' },
  { pid: 30, ppid: 1, command: `${node} /other/node_modules/vitest/dist/workers/forks.js` },
]

describe('process trees', () => {
  test('descendants come children first, then grandchildren, and nothing outside the tree', () => {
    expect(descendantsOf(11, PROCESSES).map((p) => p.pid)).toEqual([20, 21])
    expect(descendantsOf(10, PROCESSES).map((p) => p.pid)).toEqual([11, 12, 13, 14, 20, 21])
    expect(descendantsOf(21, PROCESSES)).toEqual([])
  })

  test("the tier workers are the main process's own Vitest workers: not its watchdog, not its other children, not another run's", () => {
    expect(tierWorkers(10, PROCESSES)).toEqual([11])
    expect(tierWorkers(1, PROCESSES)).toEqual([30])
  })

  test('this process is listed, under its parent', () => {
    expect(listProcesses().find((p) => p.pid === process.pid)?.ppid).toBe(process.ppid)
  })
})
