import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { listBackups, loadManifest } from '../../harness/swarm/backup-store.ts'

const work = mkdtempSync(join(tmpdir(), 'ccci-backup-store-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const manifest = {
  id: '20260101T000000Z-ab12',
  stack: 's',
  recipe: 'r',
  domain: 'd',
  createdAt: '2026-01-01T00:00:00.000Z',
  volumes: { data: { paths: 'all' } },
  files: ['data/a'],
  sizeBytes: 10,
}

test('the plan warnings travel from the manifest into the artifact; older manifests have none', () => {
  writeFileSync(join(work, `${manifest.id}.tar.gz`), '')
  writeFileSync(join(work, `${manifest.id}.json`), JSON.stringify(manifest))
  expect(loadManifest(work, manifest.id).warnings).toEqual([])
  expect(listBackups(work).map((a) => a.warnings)).toEqual([[]])
  const warned = { ...manifest, warnings: ['service db: label backupbot.backup.command=...'] }
  writeFileSync(join(work, `${manifest.id}.json`), JSON.stringify(warned))
  expect(listBackups(work)).toEqual([
    {
      id: manifest.id,
      location: join(work, `${manifest.id}.tar.gz`),
      sizeBytes: 10,
      files: ['data/a'],
      volumes: ['data'],
      warnings: ['service db: label backupbot.backup.command=...'],
    },
  ])
})
