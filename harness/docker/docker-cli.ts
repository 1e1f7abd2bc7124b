import { CcciError } from '../errors.ts'
import { tryCommand } from '../process/index.ts'

/** The first docker CLI with `docker stack config`. */
export const MIN_DOCKER_CLI_MAJOR = 25

/** What `docker version` and `docker stack config --help` said. */
export interface DockerCliProbe {
  /** `docker version --format '{{.Client.Version}}'`, e.g. `20.10.24+dfsg1`; empty if unknown. */
  version: string
  /** Exit code and output of `docker stack config --help`. */
  help: { exitCode: number; output: string }
}

/**
 * Whether a docker CLI has `docker stack config`: undefined when it has, else the error to stop
 * with. An old CLI answers `docker stack config --help` with the help of `docker stack` and exit
 * code 0, so the help must be the command's own; a version below 25 is refused whatever it says.
 */
export function dockerCliProblem(probe: DockerCliProbe): CcciError | undefined {
  const version = probe.version.trim()
  const major = /^v?(\d+)\./.exec(version)?.[1]
  const tooOld = major !== undefined && Number(major) < MIN_DOCKER_CLI_MAJOR
  const hasCommand =
    probe.help.exitCode === 0 && /Usage:\s+docker stack config\b/.test(probe.help.output)
  if (hasCommand && !tooOld) {
    return undefined
  }
  return new CcciError(
    'CCCI_DOCKER_CLI_OLD',
    `the docker CLI on PATH (version ${version === '' ? 'unknown' : version}) has no \`docker stack config\`, which cc-ci renders recipes with; it needs a docker CLI ${MIN_DOCKER_CLI_MAJOR} or newer`,
    {
      hint:
        `install a docker CLI >= ${MIN_DOCKER_CLI_MAJOR}: the \`docker-ce-cli\` package from Docker's Debian repository ` +
        '(https://docs.docker.com/engine/install/debian/), or a newer `docker.io` (Debian 13 ships 26); ' +
        "Debian 12's docker.io is 20.10. Then run `./ccci host up` again",
    },
  )
}

/**
 * Stops at once, before anything runs, unless the docker CLI has `docker stack config` (Docker's
 * own compose loader, CLI >= 25). Returns the CLI version.
 */
export async function checkDockerCli(): Promise<string> {
  const version = await tryCommand('docker', ['version', '--format', '{{.Client.Version}}'], {
    timeoutMs: 10_000,
  })
  const help = await tryCommand('docker', ['stack', 'config', '--help'], { timeoutMs: 10_000 })
  const problem = dockerCliProblem({
    version: version.stdout.trim().split('\n')[0] ?? '',
    help: { exitCode: help.exitCode, output: `${help.stdout}\n${help.stderr}` },
  })
  if (problem !== undefined) {
    throw problem
  }
  return version.stdout.trim()
}
