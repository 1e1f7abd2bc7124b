import { describe, expect, test } from 'vitest'
import { pickVolumeAccess, type ContainerMount } from '../../harness/docker/volume-access.ts'

const mount = (over: Partial<ContainerMount>): ContainerMount => ({
  type: 'volume',
  name: 's_content',
  destination: '/var/www',
  rw: true,
  subpath: undefined,
  ...over,
})

describe('pickVolumeAccess: a running container that mounts the volume whole', () => {
  test('the container and the mount point of the volume', () => {
    const containers = [
      { id: 'a', mounts: [mount({ name: 's_other', destination: '/other' })] },
      { id: 'b', mounts: [mount({ destination: '/srv/data' })] },
    ]
    expect(pickVolumeAccess(containers, 's_content', true)).toEqual({
      containerId: 'b',
      path: '/srv/data',
    })
  })

  test('a read-only mount serves reads, never writes', () => {
    const containers = [{ id: 'ro', mounts: [mount({ rw: false })] }]
    expect(pickVolumeAccess(containers, 's_content', false)).toEqual({
      containerId: 'ro',
      path: '/var/www',
    })
    expect(pickVolumeAccess(containers, 's_content', true)).toBeUndefined()
  })

  test('a writable mount is found behind a read-only one', () => {
    const containers = [
      { id: 'ro', mounts: [mount({ rw: false })] },
      { id: 'rw', mounts: [mount({})] },
    ]
    expect(pickVolumeAccess(containers, 's_content', true)?.containerId).toBe('rw')
  })

  test('a subpath mount, a bind mount of the same name or no container: none', () => {
    expect(
      pickVolumeAccess([{ id: 'a', mounts: [mount({ subpath: 'sub' })] }], 's_content', false),
    ).toBeUndefined()
    expect(
      pickVolumeAccess([{ id: 'a', mounts: [mount({ type: 'bind' })] }], 's_content', false),
    ).toBeUndefined()
    expect(
      pickVolumeAccess([{ id: 'a', mounts: [mount({ destination: 'rel' })] }], 's_content', false),
    ).toBeUndefined()
    expect(pickVolumeAccess([], 's_content', false)).toBeUndefined()
  })
})
