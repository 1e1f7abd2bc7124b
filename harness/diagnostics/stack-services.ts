import { stackLocalName, stackServiceTasks } from '../docker/index.ts'
import type { ServiceRecord, TaskRecord } from './failing-services.ts'

/** Tasks kept per service, newest first: enough to see a crash loop, not its whole history. */
export const TASKS_PER_SERVICE = 20

/** Every service of the stack with its newest tasks (states, errors, exit codes, timestamps). */
export async function stackServiceRecords(stack: string): Promise<ServiceRecord[]> {
  return (await stackServiceTasks(stack)).map(({ service, tasks }): ServiceRecord => ({
    service: stackLocalName(stack, service.name),
    name: service.name,
    image: service.image,
    replicas: service.replicas,
    running: tasks.filter((t) => t.desiredState === 'running' && t.state === 'running').length,
    updateState: service.updateState,
    updateMessage: service.updateMessage,
    tasks: tasks.slice(0, TASKS_PER_SERVICE).map((t): TaskRecord => ({
      id: t.id,
      slot: t.slot,
      state: t.state,
      desiredState: t.desiredState,
      message: t.message,
      error: t.error,
      exitCode: t.exitCode,
      timestamp: t.timestamp,
      containerId: t.containerId,
      image: t.image,
    })),
  }))
}
