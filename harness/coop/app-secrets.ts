import { listSecrets, type DockerObject } from '../docker/index.ts'

/** The label cc-ci puts on the secrets it creates for an app: the app's stack. */
export const STACK_LABEL = 'cc-ci.stack'

/**
 * The Docker secrets of an app: labelled with its stack by cc-ci, or named `<stack>_…` as abra
 * names them (abra puts no label of cc-ci on what it creates).
 */
export async function appSecrets(stack: string): Promise<DockerObject[]> {
  return (await listSecrets()).filter(
    (s) => s.labels[STACK_LABEL] === stack || s.name.startsWith(`${stack}_`),
  )
}
