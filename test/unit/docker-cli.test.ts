import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { checkDockerCli, dockerCliProblem } from '../../harness/docker/docker-cli.ts'

/** `docker stack config --help` of a CLI that has the command (28.2.2). */
const OWN_HELP = `
Usage:  docker stack config [OPTIONS]

Outputs the final config file, after doing merges and interpolations

Options:
  -c, --compose-file strings   Path to a Compose file, or "-" to read from stdin
`
/** What a 20.10 CLI answers to the same: the help of `docker stack`, exit code 0. */
const PARENT_HELP = `
Usage:  docker stack [OPTIONS] COMMAND

Manage Docker stacks

Commands:
  deploy      Deploy a new stack or update an existing stack
  ls          List stacks
`

describe('docker CLI check of `ccci host up`', () => {
  test('a CLI 25+ that has `docker stack config` is accepted', () => {
    expect(dockerCliProblem({ version: '28.2.2', help: { exitCode: 0, output: OWN_HELP } })).toBe(
      undefined,
    )
    expect(dockerCliProblem({ version: '25.0.0', help: { exitCode: 0, output: OWN_HELP } })).toBe(
      undefined,
    )
  })

  test("Debian 12's 20.10, which answers with the parent help and exit 0, is refused", () => {
    const error = dockerCliProblem({
      version: '20.10.24+dfsg1',
      help: { exitCode: 0, output: PARENT_HELP },
    })
    expect(error?.code).toBe('CCCI_DOCKER_CLI_OLD')
    expect(error?.message).toContain('`docker stack config`')
    expect(error?.message).toContain('20.10.24+dfsg1')
    expect(error?.hint).toContain('docker-ce-cli')
    expect(error?.hint).toContain('docker.io')
  })

  test('an old version is refused even if its help looked right; a failing help too', () => {
    expect(
      dockerCliProblem({ version: '24.0.9', help: { exitCode: 0, output: OWN_HELP } })?.code,
    ).toBe('CCCI_DOCKER_CLI_OLD')
    const unknown = dockerCliProblem({ version: '', help: { exitCode: 1, output: 'unknown' } })
    expect(unknown?.message).toContain('version unknown')
  })

  describe('with a real (fake) docker on PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccci-docker-cli-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    function fakeDocker(version: string, help: string): string {
      const bin = join(dir, version)
      rmSync(bin, { recursive: true, force: true })
      const file = join(bin, 'docker')
      mkdirSync(bin)
      writeFileSync(
        file,
        `#!/bin/sh\ncase "$1" in\n  version) echo '${version}' ;;\n  stack) cat <<'HELP'\n${help}\nHELP\n;;\nesac\n`,
      )
      chmodSync(file, 0o755)
      return bin
    }

    async function withPath<T>(bin: string, fn: () => Promise<T>): Promise<T> {
      const saved = process.env.PATH
      process.env.PATH = `${bin}:${saved ?? ''}`
      try {
        return await fn()
      } finally {
        process.env.PATH = saved
      }
    }

    test('checkDockerCli stops at once with the error for a 20.10 CLI', async () => {
      const bin = fakeDocker('20.10.24+dfsg1', PARENT_HELP)
      await expect(withPath(bin, checkDockerCli)).rejects.toMatchObject({
        code: 'CCCI_DOCKER_CLI_OLD',
        message: expect.stringContaining('20.10.24+dfsg1') as unknown,
      })
    })

    test('checkDockerCli returns the version of a CLI that has the command', async () => {
      const bin = fakeDocker('28.2.2', OWN_HELP)
      await expect(withPath(bin, checkDockerCli)).resolves.toBe('28.2.2')
    })
  })
})
