import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { listServices } from '../../harness/docker/index.ts'
import { RUN_LABEL } from '../../harness/janitor/owner-labels.ts'
import { runCommand, tryCommand } from '../../harness/process/index.ts'
import { configDir } from '../support/config-dir.ts'
import { fixtureRepos } from '../support/fixtures.ts'
import { hostSnapshot } from '../support/host-snapshot.ts'
import { killTrees } from '../../harness/process/index.ts'
import { recordFigure } from '../support/reliability.ts'
import { finishRun, runJanitor, runRecipe, startRun } from '../support/run-recipe.ts'

/**
 * Resources cc-ci did not create, with names that look like a run's (`tiny-000000_ccci_localhost`
 * is what a run of tiny-html's stack is called, but no run made this one), are never touched by
 * runs, their teardown or the janitor.
 */

const work = mkdtempSync(join(tmpdir(), 'ccci-foreign-'))
const repos = fixtureRepos()
const STACK = 'tiny-000000_ccci_localhost'
const docker = (...args: string[]) => runCommand('docker', args, { timeoutMs: 120_000 })

/** The foreign objects, one line each with their ids, as `docker <kind> inspect` sees them. */
async function foreignObjects(): Promise<string[]> {
  const lines: string[] = []
  for (const [kind, names] of Object.entries(FOREIGN)) {
    for (const name of names) {
      // Volumes have no id: their creation time tells a re-created one apart.
      const format = kind === 'volume' ? '{{.CreatedAt}}' : '{{.ID}}'
      const found = await tryCommand('docker', [kind, 'inspect', '--format', format, name], {
        timeoutMs: 30_000,
      })
      lines.push(`${kind} ${name} ${found.exitCode === 0 ? found.stdout.trim() : 'missing'}`)
    }
  }
  return lines
}

const FOREIGN = {
  service: [`${STACK}_app`],
  volume: [`${STACK}_content`, 'tiny-html_content'],
  secret: [`${STACK}_token_v1`],
  network: [`${STACK}_internal`],
}
let before: string[] = []

/** Removes the foreign objects (after the suite, and before it: an interrupted earlier one's). */
async function removeForeign(): Promise<void> {
  await tryCommand('docker', ['stack', 'rm', STACK], { timeoutMs: 60_000 })
  for (const [kind, names] of Object.entries(FOREIGN).filter(([k]) => k !== 'service')) {
    for (const name of names) {
      for (let i = 0; i < 30; i++) {
        const removed = await tryCommand('docker', [kind, 'rm', name], { timeoutMs: 30_000 })
        if (removed.exitCode === 0 || /No such|not found/i.test(removed.stderr)) {
          break
        }
        await new Promise((resolve) => setTimeout(resolve, 1000))
      }
    }
  }
}

beforeAll(async () => {
  await removeForeign()
  const compose = join(work, 'compose.yml')
  writeFileSync(
    compose,
    [
      'version: "3.8"',
      'services:',
      '  app:',
      '    image: ccci-local/busybox:1',
      '    command: ["sleep", "3600"]',
      '    stop_grace_period: 1s',
      '    networks: [internal]',
      '    volumes: [content:/data]',
      'networks:',
      '  internal: {}',
      'volumes:',
      '  content: {}',
      '',
    ].join('\n'),
  )
  await docker('volume', 'create', 'tiny-html_content')
  await docker('stack', 'deploy', '--detach=true', '-c', compose, STACK)
  await runCommand('docker', ['secret', 'create', `${STACK}_token_v1`, '-'], {
    timeoutMs: 30_000,
    input: 'not a run secret',
  })
  // The stack's volume and network appear once its task starts.
  for (let i = 0; i < 60; i++) {
    before = await foreignObjects()
    if (!before.some((line) => line.endsWith('missing'))) {
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
})

afterAll(async () => {
  await removeForeign()
  repos.cleanup()
  rmSync(work, { recursive: true, force: true })
})

test('a run, its teardown, a killed run and the janitor leave foreign resources as they were', async ({
  task,
}) => {
  expect(
    before.filter((line) => line.endsWith('missing')),
    'the foreign objects exist',
  ).toEqual([])
  const repo = await repos.make('tiny-html')
  const recipeDirs = [configDir(work, 'tiny-html')]
  const touched: string[] = []
  /** What a step changed of the foreign objects, named after the step. */
  const check = async (step: string) => {
    const now = await foreignObjects()
    for (const [i, line] of before.entries()) {
      if (now[i] !== line) {
        touched.push(`${line}: now ${now[i] ?? 'gone'} (by ${step})`)
      }
    }
  }
  const green = await runRecipe({ projects: ['tiny-html (install)'], src: repo.path, recipeDirs })
  expect(green.output).toMatch(/LIFECYCLE install: pass/)
  await check('a run and its teardown')
  // A run killed once its app is up, then the janitor sweeping the host.
  const started = startRun({ projects: ['tiny-html (install)'], src: repo.path, recipeDirs })
  while ((await listServices({ labels: { [RUN_LABEL]: true } })).length === 0) {
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  killTrees([started.pid ?? 0])
  await finishRun(started)
  await check('a killed run')
  const janitor = await runJanitor()
  expect(janitor.code, janitor.output).toBe(0)
  await check('the janitor')
  recordFigure(task, { kind: 'foreign', touched })
  expect(touched).toEqual([])
  // The rest of the host is as the suite found it, too: the foreign stack's own objects are there.
  expect(await hostSnapshot()).toEqual(expect.arrayContaining([`service ${STACK}_app`]))
})
