import { describe, expect, test } from 'vitest'
import type { ServiceInfo, TaskInfo } from '../../harness/docker/index.ts'
import { convergenceOf, isHopeless } from '../../harness/swarm/converge.ts'

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

describe('when a service is converged (convergenceOf): Docker says the update is done', () => {
  const spec = (image: string) => ({ ContainerSpec: { Image: image } })
  const service = (updateState: string | undefined, replicas = 1): ServiceInfo => ({
    id: 's',
    name: 'stack_app',
    labels: {},
    image: 'app:2',
    replicas,
    global: false,
    hasHealthcheck: true,
    updateState,
    updateMessage: undefined,
    publishedPorts: [],
    taskTemplate: spec('app:2'),
    mounts: [],
  })
  const of = (state: string, image: string, desiredState = 'running'): TaskInfo => ({
    ...task(state),
    desiredState,
    image,
    spec: spec(image),
  })

  test('a fresh deploy (no update status) with its task running: converged', () => {
    expect(convergenceOf(service(undefined), [of('running', 'app:2')]).converged).toBe(true)
  })
  test('a task still starting (its healthcheck not yet healthy): not converged', () => {
    expect(convergenceOf(service(undefined), [of('starting', 'app:2')]).converged).toBe(false)
  })
  test("the new task running but the update still in its monitor window ('updating'): not converged", () => {
    const tasks = [of('running', 'app:2'), of('shutdown', 'app:1', 'shutdown')]
    expect(convergenceOf(service('updating'), tasks).converged).toBe(false)
    expect(convergenceOf(service('completed'), tasks).converged).toBe(true)
  })
  test('a task of the old spec still running (start-first): not converged', () => {
    const tasks = [of('running', 'app:2'), of('running', 'app:1')]
    expect(convergenceOf(service(undefined), tasks).converged).toBe(false)
  })
  test('a stop-first update between the old task stopped and the new one started: not converged', () => {
    const tasks = [of('preparing', 'app:2'), of('shutdown', 'app:1', 'shutdown')]
    expect(convergenceOf(service(undefined), tasks).converged).toBe(false)
  })
  test('an image digest pinned by the engine is the same spec', () => {
    const pinned = of('running', 'app:2@sha256:0123abcd')
    expect(convergenceOf(service(undefined), [pinned]).converged).toBe(true)
  })
  test('a rolled-back update is stuck, not converged', () => {
    const state = convergenceOf(service('rollback_completed'), [of('running', 'app:1')])
    expect(state.converged).toBe(false)
    expect(state.stuck).toMatch(/rollback_completed/)
  })
})
