import { join } from 'node:path'
import { expect, test } from 'vitest'
import { runCommand } from '../../harness/process/index.ts'
import { REPO_ROOT } from '../support/fixtures.ts'

// In a process of its own: the CommonJS cache is the process's.
async function inFreshNode(script: string): Promise<unknown> {
  const result = await runCommand(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script],
    { cwd: REPO_ROOT, timeoutMs: 60_000 },
  )
  return JSON.parse(result.stdout) as unknown
}

const loadedFiles = `Object.keys(createRequire(import.meta.url + '/x').cache)`

test('docker(): dockerode loads without gRPC and ssh2, which load when first used', async () => {
  const client = JSON.stringify(join(REPO_ROOT, 'harness', 'docker', 'docker-client.ts'))
  const seen = await inFreshNode(`
    import { createRequire } from 'node:module'
    const { docker } = await import(${client})
    const d = docker()
    const files = () => ${loadedFiles}
    const grpcFiles = () => files().filter((f) => f.includes('/@grpc/')).length
    const ssh2Files = () => files().filter((f) => f.includes('/ssh2/')).length
    const before = { grpc: grpcFiles(), ssh2: ssh2Files(), modem: typeof d.modem.dial }
    const require = createRequire(createRequire(import.meta.url + '/x').resolve('dockerode'))
    const grpc = require('@grpc/grpc-js')
    const server = typeof grpc.Server
    console.log(JSON.stringify({ before, server, after: grpcFiles() > 2 }))
  `)
  expect(seen).toEqual({
    // The stand-ins only: one cache entry each for @grpc/grpc-js and @grpc/proto-loader.
    before: { grpc: 2, ssh2: 0, modem: 'function' },
    server: 'function',
    after: true,
  })
})

test('deferRequire: a function-shaped module runs the real one; a missing one is left alone', async () => {
  const deferred = JSON.stringify(join(REPO_ROOT, 'harness', 'docker', 'deferred-modules.ts'))
  const seen = await inFreshNode(`
    import { createRequire } from 'node:module'
    const { deferRequire } = await import(${deferred})
    const from = createRequire(import.meta.url + '/x').resolve('dockerode')
    deferRequire(from, 'no-such-module-anywhere', 'object')
    deferRequire(from, 'debug', 'function')
    const require = createRequire(from)
    const standIn = require('debug')
    const loadedEarly = ${loadedFiles}.filter((f) => f.includes('/debug/src/')).length
    const log = standIn('ccci-test')
    const loadedLate = ${loadedFiles}.filter((f) => f.includes('/debug/src/')).length
    console.log(JSON.stringify({ loadedEarly, loadedLate: loadedLate > 1, log: typeof log, replaced: require('debug') !== standIn }))
  `)
  // Before: the stand-in's own cache entry only.
  expect(seen).toEqual({ loadedEarly: 1, loadedLate: true, log: 'function', replaced: true })
})
