import { z } from 'zod'
import { CcciError } from '../errors.ts'
import { pollRounds } from '../poll.ts'
import { call, callUnlessMissing, docker, engineMessage } from './docker-client.ts'
import { STACK_NAMESPACE_LABEL, toFilters, type ListFilter } from './filters.ts'
import {
  ContainerSummarySchema,
  NetworkSchema,
  SwarmObjectSchema,
  VolumeListSchema,
} from './schemas.ts'

/** A named Docker object with labels: volume, secret, config, network or container. */
export interface DockerObject {
  kind: ResourceKind
  id: string
  name: string
  labels: Record<string, string>
}

export type ResourceKind = 'service' | 'volume' | 'secret' | 'config' | 'network' | 'container'

export async function listVolumes(filter?: ListFilter): Promise<DockerObject[]> {
  const raw = await call('list volumes', () => docker().listVolumes({ filters: toFilters(filter) }))
  return (VolumeListSchema.parse(raw).Volumes ?? []).map((v) => ({
    kind: 'volume',
    id: v.Name,
    name: v.Name,
    labels: v.Labels,
  }))
}

/** The volumes of a stack (Docker labels them with the stack namespace). */
export function stackVolumes(stack: string): Promise<DockerObject[]> {
  return listVolumes({ labels: { [STACK_NAMESPACE_LABEL]: stack } })
}

export async function listSecrets(filter?: ListFilter): Promise<DockerObject[]> {
  const raw = await call('list secrets', () => docker().listSecrets({ filters: toFilters(filter) }))
  return z
    .array(SwarmObjectSchema)
    .parse(raw)
    .map((s) => ({ kind: 'secret', id: s.ID, name: s.Spec.Name, labels: s.Spec.Labels }))
}

export async function listConfigs(filter?: ListFilter): Promise<DockerObject[]> {
  const raw = await call('list configs', () => docker().listConfigs({ filters: toFilters(filter) }))
  return z
    .array(SwarmObjectSchema)
    .parse(raw)
    .map((c) => ({ kind: 'config', id: c.ID, name: c.Spec.Name, labels: c.Spec.Labels }))
}

export async function listNetworks(filter?: ListFilter): Promise<DockerObject[]> {
  const raw = await call('list networks', () =>
    docker().listNetworks({ filters: toFilters(filter) }),
  )
  return z
    .array(NetworkSchema)
    .parse(raw)
    .map((n) => ({ kind: 'network', id: n.Id, name: n.Name, labels: n.Labels }))
}

export async function listContainers(filter?: ListFilter): Promise<DockerObject[]> {
  const raw = await call('list containers', () =>
    docker().listContainers({ all: true, filters: toFilters(filter) }),
  )
  return z
    .array(ContainerSummarySchema)
    .parse(raw)
    .map((c) => ({
      kind: 'container',
      id: c.Id,
      name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
      labels: c.Labels,
    }))
}

export async function createSecret(
  name: string,
  value: string,
  labels: Record<string, string>,
): Promise<void> {
  await call(
    `create secret ${name}`,
    () =>
      docker().createSecret({
        Name: name,
        Labels: labels,
        Data: Buffer.from(value).toString('base64'),
      }),
    'a secret of that name already exists; secrets are immutable, bump its version or remove it (`./ccci janitor`)',
  )
}

/** Creates a local named volume with labels (a volume filled before the stack that mounts it is deployed). */
export async function createVolume(name: string, labels: Record<string, string>): Promise<void> {
  await call(`create volume ${name}`, () => docker().createVolume({ Name: name, Labels: labels }))
}

export async function createOverlayNetwork(
  name: string,
  labels: Record<string, string>,
): Promise<void> {
  await call(`create network ${name}`, () =>
    docker().createNetwork({ Name: name, Driver: 'overlay', Attachable: true, Labels: labels }),
  )
}

/** Removes one object; an object that is already gone counts as removed. */
export async function removeObject(
  object: Pick<DockerObject, 'kind' | 'id' | 'name'>,
): Promise<void> {
  const d = docker()
  const doing = `remove ${object.kind} ${object.name}`
  switch (object.kind) {
    case 'service':
      await callUnlessMissing(doing, () => d.getService(object.id).remove())
      return
    case 'volume':
      await callUnlessMissing(doing, () => d.getVolume(object.id).remove())
      return
    case 'secret':
      await callUnlessMissing(doing, () => d.getSecret(object.id).remove())
      return
    case 'config':
      await callUnlessMissing(doing, () => d.getConfig(object.id).remove())
      return
    case 'network':
      await callUnlessMissing(doing, () => d.getNetwork(object.id).remove())
      return
    case 'container':
      await callUnlessMissing(doing, () =>
        d.getContainer(object.id).remove({ force: true, v: false }),
      )
      return
  }
}

/**
 * Removes an object, retrying every 250 ms while Docker refuses (a volume or network still held by
 * a stopping container) until `timeoutMs`; then throws with what Docker said and how to find the holder.
 */
export async function removeObjectPatiently(
  object: DockerObject,
  timeoutMs: number,
): Promise<void> {
  for await (const round of pollRounds({ timeoutMs, intervalMs: 250 })) {
    try {
      await removeObject(object)
      return
    } catch (error) {
      if (round.expired()) {
        throw new CcciError(
          'CCCI_REMOVE_BUSY',
          `${object.kind} ${object.name} could not be removed: ${engineMessage(error)}`,
          {
            hint: `something still uses it: \`docker ps -a --filter ${object.kind === 'volume' ? 'volume' : 'network'}=${object.name}\` shows what`,
            cause: error,
          },
        )
      }
    }
  }
}
