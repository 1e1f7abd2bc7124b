import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { afterAll, describe, expect, test } from 'vitest'
import { archiveContents, volumeContents } from '../../harness/abra/backup-archive.ts'
import { packEntries, type TarEntry } from '../../harness/archive/tar.ts'

const STACK = 'bonf-1a2b3c_ccci_localhost'
const ROOT = 'var/lib/docker/volumes'
const dir = (name: string) => ({ name, type: 'directory' })
const file = (name: string) => ({ name, type: 'file' })

/**
 * The spec (docs.coopcloud.tech/specs/backup/spec, Output): "each volume MUST be in
 * `/var/lib/docker/volumes/{stack_name}_{volume_name}`". backup-bot-two's restic snapshots keep
 * the host path, with Docker's `_data` folder (the layout cc-ci read until now).
 */
describe('volumeContents: both archive layouts', () => {
  test('the spec layout: files right below /var/lib/docker/volumes/<stack>_<volume>', () => {
    expect(
      volumeContents(
        [
          dir(`/${ROOT}/${STACK}_db-data/`),
          file(`/${ROOT}/${STACK}_db-data/backup.sql`),
          dir(`/${ROOT}/${STACK}_upload-data`),
          file(`/${ROOT}/${STACK}_upload-data/avatars/1.png`),
        ],
        STACK,
      ),
    ).toEqual({
      files: ['db-data/backup.sql', 'upload-data/avatars/1.png'],
      volumes: ['db-data', 'upload-data'],
    })
  })

  test('the host layout: files under <volume>/_data, with or without a leading / or ./', () => {
    expect(
      volumeContents(
        [
          dir(`${ROOT}/${STACK}_db-data/_data`),
          file(`./${ROOT}/${STACK}_db-data/_data/backup.sql`),
          file(`/${ROOT}/${STACK}_uploads/_data/a/b.txt`),
          file('run/secrets/db_password'),
        ],
        STACK,
      ),
    ).toEqual({ files: ['db-data/backup.sql', 'uploads/a/b.txt'], volumes: ['db-data', 'uploads'] })
  })

  test('the layout is decided per volume; a folder named volumes inside one is no volume', () => {
    expect(
      volumeContents(
        [
          file(`${ROOT}/${STACK}_a/_data/volumes/x/_data/f`),
          file(`${ROOT}/${STACK}_b/_data`),
          file(`${ROOT}/${STACK}_b/other`),
          dir(`${ROOT}/${STACK}_empty`),
        ],
        STACK,
      ),
    ).toEqual({
      files: ['a/volumes/x/_data/f', 'b/_data', 'b/other'],
      volumes: ['a', 'b', 'empty'],
    })
  })
})

describe('archiveContents', () => {
  const work = mkdtempSync(join(tmpdir(), 'ccci-archive-'))
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  async function archive(name: string, entries: TarEntry[]): Promise<string> {
    const path = join(work, name)
    await pipeline(packEntries(entries), createGzip(), createWriteStream(path))
    return path
  }

  test('a spec-shaped .tar.gz is read, not reported empty', async () => {
    const path = await archive('spec.tar.gz', [
      { type: 'directory', name: `${ROOT}/${STACK}_db-data/` },
      { type: 'file', name: `${ROOT}/${STACK}_db-data/backup.sql`, content: 'dump' },
    ])
    const contents = await archiveContents(path, STACK)
    expect(contents).toMatchObject({ files: ['db-data/backup.sql'], volumes: ['db-data'] })
    expect(contents.sizeBytes).toBeGreaterThan(0)
  })
})
