import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { judgeBadInput, type Expectation } from '../support/bad-input.ts'
import { commitChange } from '../support/commit-change.ts'
import { caseFile } from '../support/case-file.ts'
import { configDir } from '../support/config-dir.ts'
import { REPO_ROOT } from '../support/fixtures.ts'
import { runRecipe } from '../support/run-recipe.ts'

/**
 * Bad recipe configs (recipe.ts, install-steps.sh, ops.ts, repo-local tests) and hostile pull
 * requests (every way out to the host, a foreign route, cc-ci's own labels, env injection): each
 * ends in a clear error, or is harmless and handled, and leaves nothing on the host.
 */

const { repos, work, baseline } = caseFile('bad-configs')

type Change = Parameters<typeof commitChange>[1]

const HARNESS = JSON.stringify(join(REPO_ROOT, 'harness', 'index.ts'))
/** A secret of the CI host's own environment, which nothing a recipe runs may see. */
const HOST_SECRET = `host-secret-${Math.random().toString(36).slice(2)}`
/** Another run's app, whose name a hostile recipe routes to itself. */
const VICTIM = 'victim-000000.ccci.localhost'

interface BadConfig {
  what: string
  /** The pull request's head on tiny-html. */
  change?: Change
  /** Files of the recipe's cc-ci folder. */
  config?: Record<string, string>
  projects?: string[]
  /** Symbolic links committed into the head after the change: name -> target. */
  links?: Record<string, string>
  expect: Expectation
}

const inApp = (what: string, line: string): Change => ({
  message: what,
  replace: { 'compose.yml': [['    init: true', `    init: true\n${line}`]] },
})
/** A bind mount added to the app's volumes. */
const mountInApp = (what: string, mount: string): Change => ({
  message: what,
  replace: {
    'compose.yml': [['      - content:/var/www', `      - content:/var/www\n      - ${mount}`]],
  },
})
const refused = (key: string) => ({
  error: new RegExp(`CCCI_HOST_ACCESS[\\s\\S]*service app: ${key}`),
})
const pass = /LIFECYCLE install: pass/

const CASES: BadConfig[] = [
  {
    what: 'a recipe.ts that throws',
    config: { 'recipe.ts': "throw new Error('the config cannot be computed')\n" },
    expect: { error: /recipe\.ts[\s\S]*the config cannot be computed/ },
  },
  {
    what: 'a recipe.ts with wrong types and an unknown key',
    config: { 'recipe.ts': "export default { timeouts: { install: 'soon' }, colour: 'blue' }\n" },
    expect: {
      error: /recipe\.ts is not a valid recipe config[\s\S]*timeouts\.install[\s\S]*colour/,
    },
  },
  {
    what: 'a recipe.ts that never finishes loading',
    config: { 'recipe.ts': 'await new Promise(() => {})\nexport default {}\n' },
    expect: { error: /recipe\.ts[\s\S]*(did not|within)/ },
  },
  {
    what: 'an install-steps.sh that is not executable runs anyway (sh runs it)',
    config: { 'install-steps.sh': 'echo "install steps ran"\n' },
    expect: {
      handled: ({ output }) => {
        expect(output).toContain('install steps ran')
        expect(output).toMatch(pass)
      },
    },
  },
  {
    what: 'an install-steps.sh that hangs is stopped at its deadline',
    config: {
      'recipe.ts': "export default { timeouts: { 'install-steps': 3 } }\n",
      'install-steps.sh': 'echo "waiting for ever"\nsleep 600\n',
    },
    expect: { error: /install-steps\.sh failed[\s\S]*(timed out|3 s|3s)/ },
  },
  {
    what: "an install-steps.sh that prints the CI host's secrets sees none of them",
    config: { 'install-steps.sh': 'env\necho "token: ${CCCI_TEST_HOST_SECRET:-none}"\n' },
    expect: {
      handled: ({ output }) => {
        expect(output).toContain('token: none')
        expect(output).not.toContain(HOST_SECRET)
      },
    },
  },
  {
    what: 'an ops.ts hook that throws',
    projects: ['tiny-html (install)', 'tiny-html (backup)'],
    config: {
      'ops.ts': "export function preBackup() { throw new Error('cannot seed the data') }\n",
    },
    expect: {
      error: /^(?=[\s\S]*LIFECYCLE install: pass \|.*backup: fail)(?=[\s\S]*cannot seed the data)/,
    },
  },
  {
    what: 'repo-local tests of a recipe that is not approved do not run',
    change: {
      message: 'own tests',
      write: {
        'tests/install/own.test.ts':
          "import { test } from 'vitest'\ntest('a repo-local test that must not run', () => { throw new Error('ran') })\n",
      },
    },
    expect: {
      handled: ({ output }) => {
        expect(output).toMatch(pass)
        expect(output).not.toContain('a repo-local test that must not run')
        expect(output).toMatch(/not approved|repo-local-approved/)
      },
    },
  },
  {
    what: 'a bind mount of /',
    change: mountInApp('mount /', '/:/host'),
    expect: refused('volumes /'),
  },
  {
    what: 'the Docker socket',
    change: mountInApp('docker socket', '/var/run/docker.sock:/var/run/docker.sock'),
    expect: refused('volumes /var/run/docker.sock'),
  },
  {
    what: 'privileged mode',
    change: inApp('privileged', '    privileged: true'),
    expect: refused('privileged'),
  },
  {
    what: 'an added capability',
    change: inApp('cap_add', '    cap_add: [NET_ADMIN]'),
    expect: refused('cap_add NET_ADMIN'),
  },
  {
    what: 'the host network',
    change: inApp('host network', '    network_mode: host'),
    expect: refused('network'),
  },
  {
    what: "the host's PID namespace",
    change: inApp('pid', '    pid: host'),
    expect: refused('pid'),
  },
  {
    what: "the host's IPC namespace",
    change: inApp('ipc', '    ipc: host'),
    expect: refused('ipc'),
  },
  {
    what: 'a device',
    change: inApp('device', '    devices: ["/dev/fuse:/dev/fuse"]'),
    expect: refused('devices /dev/fuse'),
  },
  {
    what: 'a host-mode port on 443',
    change: inApp(
      'port 443',
      '    ports:\n      - target: 8080\n        published: 443\n        mode: host',
    ),
    expect: refused('ports 443'),
  },
  {
    what: 'a config file given as an absolute path',
    change: {
      message: 'read /etc/passwd',
      replace: { 'compose.yml': [['    file: entrypoint.sh', '    file: /etc/passwd']] },
    },
    expect: { error: /CCCI_HOST_ACCESS[\s\S]*\/etc\/passwd/ },
  },
  {
    what: 'a secret file given as an absolute path',
    change: {
      message: 'read /etc/shadow',
      replace: {
        'compose.yml': [
          [
            '    external: true\n    name: ${STACK_NAME}_token',
            '    file: /etc/shadow\n    name: ${STACK_NAME}_token',
          ],
        ],
      },
    },
    expect: { error: /CCCI_HOST_ACCESS[\s\S]*\/etc\/shadow/ },
  },
  {
    what: 'a config file that is a symlink leaving the recipe',
    change: { message: 'symlink out', remove: ['entrypoint.sh'] },
    links: { 'entrypoint.sh': '/etc/passwd' },
    expect: { error: /CCCI_HOST_ACCESS[\s\S]*entrypoint\.sh/ },
  },
  {
    what: "a router for another app's host is not routed: the app gets its own name only",
    change: {
      message: 'take over another run',
      replace: {
        '.env.sample': [
          ["#EXTRA_DOMAINS=', `www.tiny-html.example.com`'", `EXTRA_DOMAINS=', \`${VICTIM}\`'`],
        ],
      },
    },
    projects: ['tiny-html (install)', 'tiny-html (custom)'],
    config: {
      'custom/hijack.test.ts': [
        "import { expect, test } from 'vitest'",
        `import { useApp } from ${HARNESS}`,
        "test('the app answers on its own name', async () => {",
        "  expect((await useApp().http('/')).status).toBe(200)",
        '})',
        "test('the other name is not routed to it', async () => {",
        `  const response = await useApp().http('https://${VICTIM}/')`,
        "  expect(response.body).toContain('no app is routed for host')",
        '})',
        '',
      ].join('\n'),
    },
    expect: {
      handled: ({ output, code, result }) => {
        expect(output).toContain(`names ${VICTIM}, which is not this app's`)
        expect(result?.warnings.join('\n'), 'the result says so').toContain(`names ${VICTIM}`)
        expect(output).toMatch(/LIFECYCLE install: pass \| .*custom: pass/)
        expect(code).toBe(0)
      },
    },
  },
  {
    what: 'cc-ci labels set by the recipe',
    change: inApp('hide from the janitor', '    labels:\n      - "cc-ci.warm=true"'),
    expect: { error: /labels cc-ci\.warm \(labels under cc-ci\. are set by cc-ci only/ },
  },
  {
    what: 'an env value with a newline that would add a line to the env file',
    config: {
      'recipe.ts': `import { defineRecipe } from ${HARNESS}\nexport default defineRecipe({ extraEnv: { SITE_TITLE: 'two\\nSECRET_TOKEN_VERSION=hijacked' } })\n`,
      'install-steps.sh':
        'grep -c "^SECRET_TOKEN_VERSION=v1" "$CCCI_APP_ENV" | sed "s/^/token version lines: /"\n',
    },
    expect: {
      handled: ({ output }) => {
        expect(output).toContain('token version lines: 1')
        expect(output).toMatch(pass)
      },
    },
  },
]

describe('bad recipe configs and hostile pull requests', () => {
  // One test per case, named in full (test.for would shorten the names in the table).
  for (const input of CASES) {
    test(`${input.what}`, async ({ task }) => {
      const { change, config, projects, links, expect: expectation } = input
      const repo = await repos.make('tiny-html', change)
      if (links !== undefined) {
        for (const [name, target] of Object.entries(links)) {
          symlinkSync(target, join(repo.path, name))
        }
        await commitChange(repo.path, { message: 'links' })
      }
      const run = await runRecipe({
        projects: projects ?? ['tiny-html (install)'],
        src: repo.path,
        recipeDirs: [configDir(work, 'tiny-html', config)],
        env: { CCCI_TEST_HOST_SECRET: HOST_SECRET },
      })
      await judgeBadInput(task, baseline(), run, expectation)
    })
  }
})
