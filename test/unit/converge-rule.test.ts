import { describe, expect, test } from 'vitest'
import type { TaskInfo } from '../../harness/docker/index.ts'
import { isHopeless } from '../../harness/swarm/converge.ts'

const task = (state: string, error?: string): TaskInfo => ({
  id: Math.random().toString(36),
  serviceId: 's',
  slot: 1,
  desiredState: 'running',
  state,
  message: state,
  error,
  containerId: undefined,
  exitCode: undefined,
  timestamp: '',
  image: 'app:1',
  spec: {},
})

describe('when a deploy stops waiting early (isHopeless)', () => {
  test('three rejected tasks with nothing running: hopeless (no such image, a missing secret)', () => {
    const rejected = Array.from({ length: 3 }, () => task('rejected', 'No such image: app:1'))
    expect(isHopeless({ stuck: undefined, running: 0, failures: rejected }, 3)).toBe(true)
  })
  test('one task rejected because its image is not on the host: hopeless at once (the pull already failed)', () => {
    const once = [task('rejected', 'No such image: ghcr.io/example/app:1.0.3')]
    expect(isHopeless({ stuck: undefined, running: 0, failures: once }, 3)).toBe(true)
    expect(isHopeless({ stuck: undefined, running: 1, failures: once }, 3)).toBe(false)
  })
  test('fewer rejections, or a task running, keep waiting', () => {
    const two = [task('rejected', 'secret not found'), task('rejected', 'secret not found')]
    expect(isHopeless({ stuck: undefined, running: 0, failures: two }, 3)).toBe(false)
    expect(
      isHopeless({ stuck: undefined, running: 1, failures: [...two, task('rejected')] }, 3),
    ).toBe(false)
  })
  test('tasks that exit are retried by swarm (an app waiting for its database): keep waiting', () => {
    const exits = Array.from({ length: 10 }, () => task('failed', 'task: non-zero exit (1)'))
    expect(isHopeless({ stuck: undefined, running: 0, failures: exits }, 3)).toBe(false)
  })
  test('a paused or rolled-back update is hopeless at once', () => {
    expect(isHopeless({ stuck: 'update paused: task failed', running: 1, failures: [] }, 3)).toBe(
      true,
    )
  })
})
