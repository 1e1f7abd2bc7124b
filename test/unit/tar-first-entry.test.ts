import { Readable } from 'node:stream'
import { expect, test } from 'vitest'
import { packEntries, readFirstEntry } from '../../harness/archive/tar.ts'

test('readFirstEntry: the first regular file of a tar stream, as docker cp gives one path', async () => {
  const tar = packEntries([
    { type: 'file', name: '.ccci-marker', content: 'ccci-abc' },
    { type: 'file', name: 'other', content: 'not read' },
  ])
  expect(await readFirstEntry(tar, 1024)).toEqual({
    type: 'file',
    content: Buffer.from('ccci-abc'),
  })
})

test('readFirstEntry: a symlink or folder gives its type and no content', async () => {
  const link = packEntries([{ type: 'symlink', name: 'm', target: '/etc/passwd' }])
  expect(await readFirstEntry(link, 1024)).toEqual({ type: 'symlink', content: undefined })
  const dir = packEntries([{ type: 'directory', name: 'm' }])
  expect(await readFirstEntry(dir, 1024)).toEqual({ type: 'directory', content: undefined })
})

test('readFirstEntry: a file larger than the limit rejects, an empty archive is undefined', async () => {
  const big = packEntries([{ type: 'file', name: 'm', content: Buffer.alloc(2048, 1) }])
  await expect(readFirstEntry(big, 1024)).rejects.toThrow(/2048 bytes, more than the 1024/)
  expect(await readFirstEntry(packEntries([]), 1024)).toBeUndefined()
  await expect(readFirstEntry(Readable.from([Buffer.from('not a tar')]), 1024)).rejects.toThrow()
})
