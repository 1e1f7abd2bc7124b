import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buffer } from 'node:stream/consumers'
import { packEntries } from '../../harness/archive/tar.ts'
import { runCommand } from '../../harness/process/index.ts'

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')

/**
 * Loads an untagged (dangling) image built `ageDays` ago, as `docker load` of a `docker save`
 * archive would: a one-file layer and a config with that creation time. Returns its id.
 */
export async function loadDanglingImage(ageDays: number): Promise<string> {
  const layer = await buffer(
    packEntries([{ type: 'file', name: 'marker', content: randomBytes(16).toString('hex') }]),
  )
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    created: new Date(Date.now() - ageDays * 86_400_000).toISOString(),
    config: { Cmd: ['/marker'], Labels: { 'cc-ci.test': 'prune' } },
    rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layer)}`] },
  })
  const id = sha256(config)
  const archive = await buffer(
    packEntries([
      { type: 'file', name: `${id}.json`, content: config },
      { type: 'file', name: 'layer.tar', content: layer },
      {
        type: 'file',
        name: 'manifest.json',
        content: JSON.stringify([{ Config: `${id}.json`, RepoTags: null, Layers: ['layer.tar'] }]),
      },
    ]),
  )
  const dir = mkdtempSync(join(tmpdir(), 'ccci-image-'))
  try {
    writeFileSync(join(dir, 'image.tar'), archive)
    await runCommand('docker', ['load', '-i', join(dir, 'image.tar')], { timeoutMs: 60_000 })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return `sha256:${id}`
}
