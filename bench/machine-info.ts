import { readFileSync } from 'node:fs'
import { availableParallelism, cpus, release, totalmem } from 'node:os'
import { CcciError } from '../harness/errors.ts'
import { runCommand, tryCommand } from '../harness/process/index.ts'

/** The machine the numbers come from: they mean little without it. */
export interface MachineInfo {
  cores: number
  cpu: string
  memoryGiB: number
  os: string
  kernel: string
  dockerEngine: string
  dockerClient: string
  node: string
}

function osName(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8')
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1] ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

/** Reads the machine and checks it is a ready local host (`./ccci host up`): swarm, proxy network, images. */
export async function machineInfo(): Promise<MachineInfo> {
  const version = await runCommand(
    'docker',
    ['version', '--format', '{{.Server.Version}} {{.Client.Version}}'],
    { timeoutMs: 30_000, hint: 'is the Docker engine running? `./ccci host up` sets it up' },
  )
  const [dockerEngine = '?', dockerClient = '?'] = version.stdout.trim().split(' ')
  const swarm = await runCommand('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}'], {
    timeoutMs: 30_000,
  })
  const network = await tryCommand('docker', ['network', 'inspect', 'proxy'], { timeoutMs: 30_000 })
  const image = await tryCommand('docker', ['image', 'inspect', 'ccci-local/busybox:1'], {
    timeoutMs: 30_000,
  })
  if (swarm.stdout.trim() !== 'active' || network.exitCode !== 0 || image.exitCode !== 0) {
    throw new CcciError(
      'BENCH_NO_LOCAL_HOST',
      'the bench needs the local host: an active swarm, the `proxy` network and ccci-local images',
      { hint: 'run `./ccci host up` once, then `npm run bench` again' },
    )
  }
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    kernel: release(),
    dockerEngine,
    dockerClient,
    node: process.version,
  }
}
