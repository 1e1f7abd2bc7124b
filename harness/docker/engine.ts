import { call, docker, engineMessage } from './docker-client.ts'
import { InfoSchema } from './schemas.ts'

export interface EngineInfo {
  reachable: boolean
  version?: string
  swarm?: 'active' | 'inactive' | 'pending' | 'error' | 'locked'
  manager?: boolean
  error?: string
}

/** Whether the engine answers, its version and its swarm state. Never throws. */
export async function engineInfo(): Promise<EngineInfo> {
  try {
    const info = InfoSchema.parse(await docker().info())
    const state = info.Swarm?.LocalNodeState ?? 'inactive'
    return {
      reachable: true,
      version: info.ServerVersion,
      swarm: (['active', 'inactive', 'pending', 'error', 'locked'].includes(state)
        ? state
        : 'error') as EngineInfo['swarm'],
      manager: info.Swarm?.ControlAvailable ?? false,
    }
  } catch (error) {
    return { reachable: false, error: engineMessage(error) }
  }
}

/** `docker swarm init` for a single-node swarm advertised on loopback. */
export async function swarmInit(advertiseAddr = '127.0.0.1'): Promise<void> {
  await call('initialise the swarm', () =>
    docker().swarmInit({ ListenAddr: '0.0.0.0:2377', AdvertiseAddr: advertiseAddr }),
  )
}

export async function swarmLeave(): Promise<void> {
  await call('leave the swarm', () => docker().swarmLeave({ force: true }))
}
