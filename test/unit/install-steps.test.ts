import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { AppRef } from '../../harness/driver/app-driver.ts'
import type { Logger } from '../../harness/log.ts'
import { runInstallSteps } from '../../harness/run/hooks.ts'

const work = mkdtempSync(join(tmpdir(), 'ccci-install-steps-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const app: AppRef = {
  recipe: 'demo',
  domain: 'demo-1a2b.ccci.localhost',
  stack: 'demo-1a2b_ccci_localhost',
  server: 'default',
  recipeDir: work,
  envFile: join(work, 'demo.env'),
}

function logger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const keep = (message: string): void => {
    lines.push(message)
  }
  return { lines, step: keep, info: keep, warn: keep, debug: keep }
}

function script(name: string, body: string): string {
  const file = join(work, name)
  writeFileSync(file, body)
  return file
}

/** Whether a process with this command line marker still runs. */
function running(marker: string): boolean {
  try {
    execFileSync('pgrep', ['-f', marker])
    return true
  } catch {
    return false
  }
}

describe('install-steps.sh', () => {
  test('sees only PATH, HOME, LANG and the documented CCCI_ variables', async () => {
    process.env.CCCI_TEST_CI_SECRET = 'canary-from-the-ci-host'
    try {
      const out = join(work, 'env.txt')
      const file = script('env.sh', `env | sort > '${out}'\n`)
      await runInstallSteps(file, app, logger())
      const names = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split('=')[0] ?? '')
      const allowed = ['PATH', 'HOME', 'LANG', 'CCCI_APP_DOMAIN', 'CCCI_RECIPE', 'CCCI_APP_ENV']
      // sh itself adds PWD (and may add OLDPWD, SHLVL, _).
      const shell = ['PWD', 'OLDPWD', 'SHLVL', '_']
      expect(names.filter((n) => !allowed.includes(n) && !shell.includes(n))).toEqual([])
      expect(names).toEqual(
        expect.arrayContaining(['PATH', 'CCCI_APP_DOMAIN', 'CCCI_RECIPE', 'CCCI_APP_ENV']),
      )
      const text = readFileSync(out, 'utf8')
      expect(text).toContain(`CCCI_APP_DOMAIN=${app.domain}`)
      expect(text).toContain(`CCCI_APP_ENV=${app.envFile}`)
      expect(text).not.toContain('canary-from-the-ci-host')
    } finally {
      delete process.env.CCCI_TEST_CI_SECRET
    }
  })

  test('the run signal stops it at once, and what it started', async () => {
    const marker = `ccci-install-steps-sleep-${process.pid}`
    const file = script(
      'hang.sh',
      `echo started\nsh -c 'sleep 300; : ${marker}' &\nsleep 300\necho never\n`,
    )
    const controller = new AbortController()
    const log = logger()
    const started = Date.now()
    const run = runInstallSteps(file, app, log, 600_000, controller.signal)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(running(marker)).toBe(true)
    controller.abort()
    await expect(run).rejects.toMatchObject({ code: 'CCCI_COMMAND_CANCELLED' })
    expect(Date.now() - started).toBeLessThan(10_000)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(running(marker)).toBe(false)
    expect(log.lines).toContain('  install-steps: started')
  }, 20_000)

  test('a failing script still fails install with its output', async () => {
    const file = script('fails.sh', 'echo about to fail\nexit 3\n')
    await expect(runInstallSteps(file, app, logger())).rejects.toMatchObject({
      code: 'CCCI_INSTALL_STEPS',
    })
  })
})
