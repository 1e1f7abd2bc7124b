import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { readCanonical, readRegistry, writeCanonical } from '../../harness/warm/canonical-record.ts'
import {
  readKnownGood,
  readSnapshotSecrets,
  replaceKnownGood,
} from '../../harness/warm/known-good.ts'
import { redact } from '../../harness/redaction/redact.ts'
import { snapshotsDir } from '../../harness/warm/warm-paths.ts'

const homes: string[] = []
afterEach(() => homes.splice(0).forEach((h) => rmSync(h, { recursive: true, force: true })))

function home(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ccci-warm-'))
  homes.push(dir)
  return dir
}

/** A snapshot of one fake volume archive holding `text`. */
function snapshotOf(recipe: string, version: string, text: string) {
  return (dir: string) => {
    writeFileSync(join(dir, 'data.tar.gz'), text)
    return Promise.resolve({
      recipe,
      recipeVersion: version,
      commit: 'c0ffee',
      createdAt: '2026-11-30T00:00:00Z',
      volumes: [
        {
          key: 'data',
          file: 'data.tar.gz',
          sha256: createHash('sha256').update(text).digest('hex'),
          bytes: text.length,
          content: 'a'.repeat(64),
        },
      ],
      secrets: ['token'],
    })
  }
}

describe('the known-good snapshot (replaceKnownGood, readKnownGood)', () => {
  test('a recipe without one has none; a written one reads back, checked, secrets kept 0600', async () => {
    const h = home()
    expect(await readKnownGood(h, 'notes')).toBeUndefined()
    const written = await replaceKnownGood(
      h,
      'notes',
      { token: 'canary-secret-value-31d8' },
      snapshotOf('notes', '1.0.0+1', 'one'),
    )
    const read = await readKnownGood(h, 'notes')
    expect(read?.id).toBe(written.id)
    expect(read?.manifest.recipeVersion).toBe('1.0.0+1')
    expect(statSync(join(written.dir, 'secrets.json')).mode & 0o777).toBe(0o600)
    expect(readSnapshotSecrets(written)).toEqual({ token: 'canary-secret-value-31d8' })
    expect(redact('token canary-secret-value-31d8')).not.toContain('canary-secret-value-31d8')
  })

  test('a replacement swaps the link and removes the older snapshot', async () => {
    const h = home()
    const first = await replaceKnownGood(h, 'notes', {}, snapshotOf('notes', '1.0.0+1', 'one'))
    const second = await replaceKnownGood(h, 'notes', {}, snapshotOf('notes', '1.1.0+1', 'two'))
    expect((await readKnownGood(h, 'notes'))?.id).toBe(second.id)
    expect(existsSync(first.dir)).toBe(false)
    expect(readdirSync(snapshotsDir(h, 'notes'))).toEqual([second.id])
  })

  test('a replacement that fails half-way leaves the previous known-good readable', async () => {
    const h = home()
    const first = await replaceKnownGood(h, 'notes', {}, snapshotOf('notes', '1.0.0+1', 'one'))
    await expect(
      replaceKnownGood(h, 'notes', {}, (dir) => {
        writeFileSync(join(dir, 'data.tar.gz'), 'half')
        return Promise.reject(new Error('disk full'))
      }),
    ).rejects.toThrow('disk full')
    expect((await readKnownGood(h, 'notes'))?.id).toBe(first.id)
    // The next replacement removes what the failed one left.
    const third = await replaceKnownGood(h, 'notes', {}, snapshotOf('notes', '1.2.0+1', 'three'))
    expect(readdirSync(snapshotsDir(h, 'notes'))).toEqual([third.id])
  })

  test('a damaged archive or manifest is refused with what is wrong', async () => {
    const h = home()
    const snapshot = await replaceKnownGood(h, 'notes', {}, snapshotOf('notes', '1.0.0+1', 'one'))
    writeFileSync(join(snapshot.dir, 'data.tar.gz'), 'tampered')
    await expect(readKnownGood(h, 'notes')).rejects.toThrow(/data\.tar\.gz has checksum/)
    writeFileSync(join(snapshot.dir, 'manifest.json'), '{"version":1}')
    await expect(readKnownGood(h, 'notes')).rejects.toMatchObject({
      code: 'CCCI_WARM_SNAPSHOT_CORRUPT',
    })
  })
})

describe('the warm registry (canonical.json per recipe)', () => {
  test('records are written atomically, read back per recipe and as a registry', () => {
    const h = home()
    expect(readRegistry(h)).toEqual([])
    const record = {
      recipe: 'notes',
      domain: 'warm-notes.ci.example',
      version: '1.0.0+1',
      commit: 'c0ffee',
      status: 'ok' as const,
      ts: '2026-11-30T00:00:00Z',
    }
    writeCanonical(h, record)
    writeCanonical(h, { ...record, recipe: 'blog', domain: 'warm-blog.ci.example' })
    expect(readCanonical(h, 'notes')).toEqual(record)
    expect(readRegistry(h).map((r) => r.recipe)).toEqual(['blog', 'notes'])
    expect(readdirSync(join(h, 'warm', 'notes'))).toEqual(['canonical.json'])
  })

  test('an invalid record is refused with the file to remove', () => {
    const h = home()
    writeCanonical(h, {
      recipe: 'notes',
      domain: 'd',
      version: '1',
      commit: 'c',
      status: 'ok',
      ts: 't',
    })
    const file = join(h, 'warm', 'notes', 'canonical.json')
    writeFileSync(file, readFileSync(file, 'utf8').replace('"ok"', '"great"'))
    expect(() => readCanonical(h, 'notes')).toThrow(/is not a canonical record/)
  })
})
