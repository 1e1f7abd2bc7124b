import { join } from 'node:path'
import { configDir } from './config-dir.ts'
import { REPO_ROOT, type fixtureRepos } from './fixtures.ts'

/**
 * A tiny-html change whose upgrade fails (the new version runs `script`, which should end with
 * `exit 3`; the update rolls back), and a config folder whose install steps put
 * `API_TOKEN=<canary>` into the app env (the new version sees it) and whose preUpgrade hook writes
 * the run's generated token to `tokenOut`: the secrets a test then looks for in what the run left.
 */
export async function failingUpgrade(
  repos: ReturnType<typeof fixtureRepos>,
  work: string,
  options: { message: string; script: string; canary: string; tokenOut: string },
): Promise<{ src: string; recipeDirs: string[] }> {
  const harness = JSON.stringify(join(REPO_ROOT, 'harness', 'index.ts'))
  const broken = await repos.make('tiny-html', {
    message: options.message,
    replace: {
      'compose.yml': [
        [
          'command: ["/bin/sh", "/entrypoint.sh"]',
          `command: ["/bin/sh", "-c", ${JSON.stringify(options.script)}]`,
        ],
        ['      - SITE_TITLE\n', '      - SITE_TITLE\n      - API_TOKEN\n'],
        [
          '    deploy:\n',
          '    deploy:\n      update_config:\n        failure_action: rollback\n        order: start-first\n        monitor: 5s\n',
        ],
      ],
    },
  })
  const recipeDirs = [
    configDir(work, 'tiny-html', {
      'install-steps.sh': `echo 'API_TOKEN=${options.canary}' >> "$CCCI_APP_ENV"\n`,
      'ops.ts': [
        "import { writeFileSync } from 'node:fs'",
        `import type { AppHandle } from ${harness}`,
        'export async function preUpgrade(app: AppHandle) {',
        "  const token = (await app.exec('app', ['cat', '/run/secrets/token'])).stdout",
        `  writeFileSync(${JSON.stringify(options.tokenOut)}, token)`,
        '  return {}',
        '}',
        '',
      ].join('\n'),
    }),
  ]
  return { src: broken.path, recipeDirs }
}
