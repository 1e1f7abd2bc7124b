import { CcciError } from '../errors.ts'
import { tryCommand } from '../process/index.ts'

/** The docker CLI must have `docker stack config` (Docker's own compose loader), CLI >= 25. */
export async function checkDockerCli(): Promise<string> {
  const version = await tryCommand('docker', ['version', '--format', '{{.Client.Version}}'], {
    timeoutMs: 10_000,
  })
  const config = await tryCommand('docker', ['stack', 'config', '--help'], { timeoutMs: 10_000 })
  if (config.exitCode !== 0) {
    throw new CcciError(
      'CCCI_DOCKER_CLI_OLD',
      `the docker CLI (${version.stdout.trim() || 'unknown version'}) has no \`docker stack config\``,
      {
        hint: "install a docker CLI >= 25 (docker-ce-cli) first on PATH; cc-ci renders recipes with Docker's own compose loader",
      },
    )
  }
  return version.stdout.trim()
}
