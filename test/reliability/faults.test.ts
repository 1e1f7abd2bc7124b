import { existsSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test, type TaskMeta } from 'vitest'
import { listServices } from '../../harness/docker/index.ts'
import { RUN_LABEL } from '../../harness/janitor/owner-labels.ts'
import { killTrees, type StartedCommand } from '../../harness/process/index.ts'
import type { commitChange } from '../support/commit-change.ts'
import { caseFile } from '../support/case-file.ts'
import { configDir } from '../support/config-dir.ts'
import { recordFigure, residueSince } from '../support/reliability.ts'
import {
  finishRun,
  runJanitor,
  runRecipe,
  startRun,
  type RunOutcome,
} from '../support/run-recipe.ts'

/**
 * The fault matrix: a run of tiny-html is held in each phase and stopped there with SIGINT,
 * SIGTERM or SIGKILL (then `./ccci janitor`, as an operator would after a crash); and runs that
 * fail on their own (a deploy, a hook, a backup). After every cell nothing of the run is left on
 * the host: no stack, service, volume, secret, config, network, container, env file, lease, run
 * folder or proxy route.
 */

const { repos, work, baseline } = caseFile('faults')

type Change = Parameters<typeof commitChange>[1]

/** Waits forever once it has said where it is: the cell stops the run there. */
const holdBody = (hold: string) =>
  `writeFileSync(${JSON.stringify(join(hold, 'ready'))}, String(process.pid)); await new Promise((resolve) => setTimeout(resolve, 600_000))`

const opsHold = (hook: string) => (hold: string) => ({
  'ops.ts': [
    "import { writeFileSync } from 'node:fs'",
    `export async function ${hook}() { ${holdBody(hold)} }`,
    '',
  ].join('\n'),
})

interface Phase {
  name: string
  projects: string[]
  /** The pull request's head. */
  change?: Change
  /** Files of the recipe's cc-ci folder, given the cell's hold folder. */
  config?: (hold: string) => Record<string, string>
  /** Whether the run has reached the phase. */
  reached: (hold: string, output: string) => boolean | Promise<boolean>
}

const held = (hold: string) => existsSync(join(hold, 'ready'))

const PHASES: Phase[] = [
  {
    name: 'before the deploy (install-steps.sh running)',
    projects: ['tiny-html (install)'],
    config: (hold) => ({
      'install-steps.sh': `echo $$ > ${hold}/ready\nsleep 600\n`,
    }),
    reached: held,
  },
  {
    name: 'during the deploy (the app never turns healthy)',
    projects: ['tiny-html (install)'],
    change: {
      message: 'an app that never turns healthy',
      replace: {
        'compose.yml': [
          [
            'test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]',
            'test: ["CMD", "false"]',
          ],
        ],
      },
    },
    reached: async () => (await listServices({ labels: { [RUN_LABEL]: true } })).length > 0,
  },
  {
    name: 'during the upgrade operation',
    projects: ['tiny-html (install)', 'tiny-html (upgrade)'],
    config: opsHold('preUpgrade'),
    reached: held,
  },
  {
    name: 'during the backup operation',
    projects: ['tiny-html (install)', 'tiny-html (backup)'],
    config: opsHold('preBackup'),
    reached: held,
  },
  {
    name: 'during the restore operation',
    projects: ['tiny-html (install)', 'tiny-html (backup)', 'tiny-html (restore)'],
    config: opsHold('preRestore'),
    reached: held,
  },
  {
    name: 'during a custom test',
    projects: ['tiny-html (install)', 'tiny-html (custom)'],
    config: (hold) => ({
      'custom/hold.test.ts': [
        "import { writeFileSync } from 'node:fs'",
        "import { test } from 'vitest'",
        `test('holds the run', async () => { ${holdBody(hold)} }, 700_000)`,
        '',
      ].join('\n'),
    }),
    reached: held,
  },
  {
    name: 'during the teardown (the app ignores SIGTERM)',
    projects: ['tiny-html (install)'],
    change: {
      message: 'an app that takes its time to stop',
      replace: {
        'entrypoint.sh': [['exec httpd -f', "trap '' TERM\nhttpd -f"]],
        'compose.yml': [['stop_grace_period: 2s', 'stop_grace_period: 15s']],
      },
    },
    reached: (_hold, output) => output.includes('tearing down'),
  },
]

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL'] as const

interface Ending {
  code: number
  output: string
  expectedCode: number
  says: RegExp
}

async function stopped(started: StartedCommand, signal: 'SIGINT' | 'SIGTERM'): Promise<Ending> {
  started.kill(signal)
  const run = await finishRun(started)
  return {
    code: run.code,
    output: run.output,
    expectedCode: signal === 'SIGINT' ? 130 : 143,
    says: new RegExp(`${signal}: cancelling the run`),
  }
}

/** The whole process tree killed at once, then `./ccci janitor`, as an operator would. */
async function killed(started: StartedCommand): Promise<Ending> {
  killTrees([started.pid ?? 0])
  const run = await finishRun(started)
  const swept = await runJanitor()
  return {
    code: swept.code,
    output: `${run.output}\n--- ./ccci janitor ---\n${swept.output}`,
    expectedCode: 0,
    says: /removed [1-9]\d*, failed 0/,
  }
}

describe('a run stopped in any phase leaves nothing behind', () => {
  for (const phase of PHASES) {
    for (const signal of SIGNALS) {
      test(`${signal} ${phase.name}`, async ({ task }) => {
        const hold = mkdtempSync(join(work, 'hold-'))
        const repo = await repos.make('tiny-html', phase.change)
        const recipeDirs = [configDir(work, 'tiny-html', phase.config?.(hold))]
        const started = startRun({ projects: phase.projects, src: repo.path, recipeDirs })
        let exited = false
        void started.result.finally(() => (exited = true))
        const deadline = Date.now() + 240_000
        while (!exited && !(await phase.reached(hold, started.output())) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 250))
        }
        expect(await phase.reached(hold, started.output()), started.output()).toBe(true)
        // SIGINT and SIGTERM: the run cleans up after itself. SIGKILL: the janitor does.
        const ending = signal === 'SIGKILL' ? await killed(started) : await stopped(started, signal)
        const residue = await residueSince(baseline())
        recordFigure(task, { kind: 'fault', residue })
        expect(residue, ending.output).toEqual([])
        expect(ending.code, ending.output).toBe(ending.expectedCode)
        expect(ending.output).toMatch(ending.says)
      })
    }
  }
})

describe('a run that fails on its own leaves nothing behind', () => {
  async function failingRun(
    task: { meta: TaskMeta },
    options: { projects: string[]; change?: Change; config?: Record<string, string> },
  ): Promise<RunOutcome> {
    const repo = await repos.make('tiny-html', options.change)
    const run = await runRecipe({
      projects: options.projects,
      src: repo.path,
      recipeDirs: [configDir(work, 'tiny-html', options.config)],
    })
    const residue = await residueSince(baseline())
    recordFigure(task, { kind: 'fault', residue })
    expect(residue, run.output).toEqual([])
    expect(run.code, run.output).not.toBe(0)
    return run
  }
  const tier = (run: RunOutcome, name: string) => run.result?.tiers.find((t) => t.tier === name)

  test('a deploy failure: the error names the failing service and its task error', async ({
    task,
  }) => {
    const run = await failingRun(task, {
      projects: ['tiny-html (install)'],
      change: {
        message: 'use an image that does not exist',
        replace: {
          'compose.yml': [['image: ccci-local/busybox:1', 'image: ccci-local/does-not-exist:1']],
        },
      },
    })
    expect(run.output).toMatch(/LIFECYCLE install: fail/)
    expect(tier(run, 'install')?.reason).toMatch(/app: .*(No such image|does-not-exist)/)
  })

  test('a hook failure: install-steps.sh exits 7, install fails with its output, nothing was deployed', async ({
    task,
  }) => {
    const run = await failingRun(task, {
      projects: ['tiny-html (install)'],
      config: {
        'install-steps.sh':
          'echo "preparing $CCCI_APP_DOMAIN"\necho "the upstream server is unreachable" >&2\nexit 7\n',
      },
    })
    expect(tier(run, 'install')?.reason).toMatch(
      /install-steps\.sh failed: `sh -eu \S+install-steps\.sh` exited 7/,
    )
    expect(tier(run, 'install')?.reason).toContain('the upstream server is unreachable')
    expect(run.result?.deployCount, 'nothing was deployed').toBe(0)
  })

  test('a backup failure: a pre-hook that exits 4 fails backup, and restore is skipped', async ({
    task,
  }) => {
    const run = await failingRun(task, {
      projects: ['tiny-html (install)', 'tiny-html (backup)', 'tiny-html (restore)'],
      change: {
        message: 'a backup hook that fails',
        replace: {
          'compose.yml': [
            [
              '        - "backupbot.backup=true"',
              '        - "backupbot.backup=true"\n        - "backupbot.backup.pre-hook=echo cannot dump the site >&2; exit 4"',
            ],
          ],
        },
      },
    })
    expect(tier(run, 'backup')?.reason).toMatch(
      /backupbot.backup.pre-hook of service app failed with exit code 4/,
    )
    expect(tier(run, 'restore')?.reason).toBe('prerequisite tier backup failed')
  })
})
