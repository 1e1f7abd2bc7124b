import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { CHROMIUM_PATH } from '../browser/chromium-path.ts'
import { engineInfo, type EngineInfo } from '../docker/index.ts'
import { CcciError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { pollFor } from '../poll.ts'
import { runCommand, spawnDaemon, tryCommand } from '../process/index.ts'

/**
 * What the local host needs from Debian, and a command or file that proves each is installed.
 * Chromium is for browser tests (Debian's build; cc-ci never downloads a browser); nix-bin's
 * `nix-instantiate` parses and evaluates the NixOS module in nix/ (test/nix/).
 */
export const HOST_PACKAGES: readonly { pkg: string; probe: string }[] = [
  { pkg: 'docker.io', probe: 'dockerd' },
  { pkg: 'busybox-static', probe: '/bin/busybox' },
  { pkg: 'caddy', probe: '/usr/bin/caddy' },
  { pkg: 'openssl', probe: 'openssl' },
  { pkg: 'git', probe: 'git' },
  { pkg: 'chromium', probe: CHROMIUM_PATH },
  { pkg: 'nix-bin', probe: 'nix-instantiate' },
]

async function present(probe: string): Promise<boolean> {
  if (probe.startsWith('/')) {
    return existsSync(probe)
  }
  const found = await tryCommand('sh', ['-c', `command -v ${probe}`], { timeoutMs: 5_000 })
  return found.exitCode === 0
}

const isRoot = (): boolean => process.getuid?.() === 0

/** Installs the Debian packages the local host needs, when missing (root on Debian only). */
export async function ensurePackages(log: Logger): Promise<string[]> {
  const missing: string[] = []
  for (const { pkg, probe } of HOST_PACKAGES) {
    if (!(await present(probe))) {
      missing.push(pkg)
    }
  }
  if (missing.length === 0) {
    return []
  }
  if (!isRoot() || !(await present('apt-get'))) {
    throw new CcciError('CCCI_HOST_PACKAGES', `missing packages: ${missing.join(', ')}`, {
      hint: `install them (\`sudo apt-get install -y ${missing.join(' ')}\`) or run \`./ccci host up\` as root on Debian/Ubuntu`,
    })
  }
  log.step(`installing ${missing.join(', ')} from Debian (once)`)
  const env = { DEBIAN_FRONTEND: 'noninteractive' }
  await runCommand('apt-get', ['update', '-qq'], { timeoutMs: 600_000, env })
  await runCommand('apt-get', ['install', '-y', '-qq', ...missing], {
    timeoutMs: 1_200_000,
    env,
    hint: 'apt-get could not install the packages; check the apt sources and network access',
  })
  return missing
}

async function waitForEngine(timeoutMs: number): Promise<EngineInfo> {
  return pollFor(
    async (round) => {
      const info = await engineInfo()
      return info.reachable || round.expired() ? info : undefined
    },
    { timeoutMs, intervalMs: 500 },
  )
}

/**
 * Makes sure a Docker engine answers: uses a running one, or (as root) starts `dockerd` through
 * systemd when it runs, else by hand with its log in `<home>/host/dockerd.log`.
 */
export async function ensureEngine(home: string, log: Logger): Promise<EngineInfo> {
  const info = await engineInfo()
  if (info.reachable) {
    return info
  }
  if (!isRoot()) {
    throw new CcciError(
      'CCCI_DOCKER_UNREACHABLE',
      `no Docker engine answers (${info.error ?? 'unknown'})`,
      {
        hint: 'start Docker (`sudo systemctl start docker`), or run `./ccci host up` as root so cc-ci starts it',
      },
    )
  }
  const logFile = join(home, 'host', 'dockerd.log')
  mkdirSync(join(home, 'host'), { recursive: true })
  if (existsSync('/run/systemd/system')) {
    log.step('starting Docker with systemctl')
    await runCommand('systemctl', ['start', 'docker'], { timeoutMs: 120_000 })
  } else {
    log.step(`starting dockerd (log: ${logFile})`)
    spawnDaemon('dockerd', [], logFile)
  }
  const started = await waitForEngine(60_000)
  if (!started.reachable) {
    throw new CcciError('CCCI_DOCKER_START', 'dockerd did not come up within 60s', {
      hint: `read ${logFile} (or \`journalctl -u docker\`) for the reason`,
    })
  }
  return started
}
