import { describe, expect, test } from 'vitest'
import { tryCommand } from '../../harness/process/index.ts'
import { evalOk, requireNixInstantiate } from '../nix/support/nix-eval.ts'

// The script of the NixOS module's cc-ci-swarm unit (nix/modules/docker.nix), run against the
// local host's real engine, which already has a swarm and the `proxy` network: a second start of
// the unit must change nothing.

async function docker(...args: string[]): Promise<string> {
  const result = await tryCommand('docker', args, { timeoutMs: 30_000 })
  expect(result.exitCode, result.stderr).toBe(0)
  return result.stdout.trim()
}

describe('cc-ci-swarm on a host that has its swarm and proxy network', () => {
  test('exits 0 and leaves the swarm and the network as they were', async () => {
    await requireNixInstantiate()
    const script = (await evalOk()).systemd.services['cc-ci-swarm']?.script ?? ''
    expect(script).toContain('docker swarm init')
    const node = await docker('info', '--format', '{{.Swarm.NodeID}}')
    const network = await docker('network', 'inspect', 'proxy', '--format', '{{.Id}}')
    const run = await tryCommand('bash', ['-c', script], { timeoutMs: 60_000 })
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stdout).toBe('')
    expect(await docker('info', '--format', '{{.Swarm.NodeID}}')).toBe(node)
    expect(await docker('network', 'inspect', 'proxy', '--format', '{{.Id}}')).toBe(network)
  })
})
