import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { loadSettings } from '../../harness/config/settings.ts'
import {
  readDiagnosticsLink,
  wantsDiagnostics,
} from '../../harness/diagnostics/diagnostics-files.ts'
import { bundleRedactor, formatRedactedEnv } from '../../harness/diagnostics/env-redaction.ts'
import { isSecretKey, secretEnvValues } from '../../harness/redaction/secret-keys.ts'
import {
  headline,
  judgeServices,
  type ServiceRecord,
  type TaskRecord,
} from '../../harness/diagnostics/failing-services.ts'
import { formatEvents } from '../../harness/diagnostics/format-events.ts'
import { formatIndex, type BundleIndex } from '../../harness/diagnostics/format-index.ts'
import { fitToBudget } from '../../harness/diagnostics/size-budget.ts'
import { registerSecret } from '../../harness/redaction/redact.ts'
import { summaryMarkdown } from '../../harness/results/report-files.ts'
import { bareRunResult } from '../support/run-results.ts'

const work = mkdtempSync(join(tmpdir(), 'ccci-diagnostics-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function task(state: string, extra: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id: `t-${state}`,
    slot: 1,
    state,
    desiredState: state === 'running' ? 'running' : 'shutdown',
    message: state,
    error: undefined,
    exitCode: undefined,
    timestamp: '2026-11-30T10:00:00Z',
    containerId: undefined,
    image: 'img',
    ...extra,
  }
}

function service(name: string, running: number, tasks: TaskRecord[], replicas = 1): ServiceRecord {
  return {
    service: name,
    name: `stack_${name}`,
    image: `${name}:1`,
    replicas,
    running,
    updateState: undefined,
    updateMessage: undefined,
    tasks,
  }
}

const crashed = task('failed', { error: 'task: non-zero exit (3)', exitCode: 3 })

describe('which services failed, in which order', () => {
  test('a service down comes before one that recovered, then healthy ones by name', () => {
    const judged = judgeServices([
      service('web', 1, [task('running')]),
      service('worker', 1, [task('running'), crashed]),
      service('app', 0, [crashed, crashed]),
      service('cache', 1, [task('running')]),
    ])
    expect(judged.map((s) => [s.service, s.failing])).toEqual([
      ['app', true],
      ['worker', true],
      ['cache', false],
      ['web', false],
    ])
    expect(judged[0]?.reason).toBe(
      'task error: task: non-zero exit (3) (exit code 3, failed at 2026-11-30T10:00:00Z); 0/1 running',
    )
  })

  test('a rolled-back update fails its service even with its old task running', () => {
    const [judged] = judgeServices([
      { ...service('app', 1, [task('running')]), updateState: 'rollback_completed' },
    ])
    expect(judged?.failing).toBe(true)
    expect(judged?.reason).toBe('update rollback_completed')
  })

  test('a task shut down without an error by an update is not a failure', () => {
    const [judged] = judgeServices([
      service('app', 1, [task('running'), task('shutdown', { exitCode: 143 })]),
    ])
    expect(judged?.failing).toBe(false)
  })

  test('the headline names the first failing service with its task error, and the others', () => {
    const judged = judgeServices([
      service('db', 0, [task('rejected', { error: 'No such image: db:9' })]),
      service('app', 0, [crashed]),
    ])
    expect(headline(judged)).toBe(
      'failing service app: task error: task: non-zero exit (3) (exit code 3, failed at 2026-11-30T10:00:00Z); 0/1 running (also failing: db)',
    )
    expect(headline(judgeServices([service('app', 1, [task('running')])]))).toBe(
      'no failing service (1 service running as desired)',
    )
    expect(headline([])).toBe('no service of the run was found')
  })
})

describe('the size budget', () => {
  const log = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n')

  test('files within the caps are kept whole', () => {
    const [file] = fitToBudget([{ path: 'a', content: 'small', keep: 'head' }], {
      totalBytes: 1000,
      fileBytes: 1000,
    })
    expect(file).toEqual({ path: 'a', content: 'small', note: undefined, omitted: false })
  })

  test('a log over the file cap keeps its last lines and says so first', () => {
    const [file] = fitToBudget([{ path: 'app.log', content: log, keep: 'tail' }], {
      totalBytes: 10_000,
      fileBytes: 1000,
    })
    expect(Buffer.byteLength(file?.content ?? '')).toBeLessThanOrEqual(1000)
    expect(file?.content).toMatch(/^\[truncated: kept the last \d+ of 3489 bytes/)
    expect(file?.content.endsWith('line 399')).toBe(true)
    expect(file?.content.split('\n')[1]).toMatch(/^line \d+$/)
    expect(file?.note).toMatch(/^truncated from 3489 bytes/)
  })

  test('other files keep their head and say so last', () => {
    const [file] = fitToBudget([{ path: 'compose.yml', content: log, keep: 'head' }], {
      totalBytes: 10_000,
      fileBytes: 1000,
    })
    expect(Buffer.byteLength(file?.content ?? '')).toBeLessThanOrEqual(1000)
    expect(file?.content.startsWith('line 0\n')).toBe(true)
    expect(file?.content.split('\n').at(-1)).toMatch(/^\[truncated: kept the first \d+ of 3489/)
  })

  test('the total cap cuts the later files, then leaves them out', () => {
    const files = ['a', 'b', 'c'].map((path) => ({ path, content: log, keep: 'tail' as const }))
    const fitted = fitToBudget(files, { totalBytes: 5000, fileBytes: 3500 })
    expect(fitted.map((f) => [f.path, f.omitted, f.note === undefined])).toEqual([
      ['a', false, true],
      ['b', false, false],
      ['c', true, false],
    ])
    expect(fitted.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0)).toBeLessThanOrEqual(
      5000,
    )
    expect(fitted[2]?.note).toMatch(/^left out \(3489 bytes\)/)
  })
})

describe('the app env and the redaction of the bundle', () => {
  const CANARY = 'canary-7f3a9c1e-diagnostics'
  const GENERATED = 'generated-secret-value-4d2b'
  registerSecret(GENERATED)
  const env = {
    DOMAIN: 'app.example.com',
    DB_PASSWORD: CANARY,
    API_TOKEN: 'short',
    SECRET_DB_PASSWORD_VERSION: 'v1',
    SITE_TITLE: `hello ${GENERATED}`,
  }

  test('values are secrets by a word of their key name, except abra secret versions and secret file paths', () => {
    const secret = ['DB_PASSWORD', 'API_TOKEN', 'OIDC_CLIENT_SECRET', 'SMTP_KEY', 'SECRET_KEY_BASE']
    expect(secret.map(isSecretKey)).toEqual(secret.map(() => true))
    const plain = [
      'SECRET_DB_PASSWORD_VERSION',
      'DB_PASSWORD_FILE',
      'KEYCLOAK_URL',
      'MONKEY_NAME',
      'DOMAIN',
      'SITE_TITLE',
    ]
    expect(plain.map(isSecretKey)).toEqual(plain.map(() => false))
    expect(secretEnvValues(env)).toEqual([CANARY])
  })

  test('the env file shows no secret value; the redactor hides them in any text', () => {
    const clean = bundleRedactor(secretEnvValues(env))
    const text = formatRedactedEnv(env, clean)
    expect(text).toBe(
      [
        'DOMAIN=app.example.com',
        'DB_PASSWORD=[REDACTED]',
        'API_TOKEN=[REDACTED]',
        'SECRET_DB_PASSWORD_VERSION=v1',
        'SITE_TITLE=hello [REDACTED]',
        '',
      ].join('\n'),
    )
    const log = clean(`connecting with ${CANARY}, token ${GENERATED}`)
    expect(log).toBe('connecting with [REDACTED], token [REDACTED]')
  })
})

describe('the index', () => {
  const services = judgeServices([
    service('app', 0, [crashed]),
    service('db', 1, [task('running')]),
  ])
  const index: BundleIndex = {
    recipe: 'tiny-html',
    runId: 'tiny-1',
    stack: 'stack',
    collectedAt: '2026-11-30T10:01:00Z',
    why: 'failed',
    failedTiers: [{ tier: 'upgrade', error: 'deploy failed\nmore' }],
    services,
    logFiles: { app: 'logs/app.log', db: 'logs/db.log' },
    files: [
      { path: 'services.json', note: undefined, omitted: false },
      { path: 'logs/app.log', note: 'truncated from 9 bytes to 5', omitted: false },
      { path: 'events.txt', note: 'left out (9 bytes)', omitted: true },
    ],
    browserArtifacts: ['../browser/flow.png'],
    errors: [{ piece: 'docker events', error: 'Docker: read events failed: boom\nstack' }],
  }

  test('names the failing service first with its task error and logs, then everything else', () => {
    const text = formatIndex(index)
    const lines = text.split('\n')
    expect(lines[2]).toBe(
      '**failing service app: task error: task: non-zero exit (3) (exit code 3, failed at 2026-11-30T10:00:00Z); 0/1 running**',
    )
    expect(text).toContain('- **upgrade**: deploy failed\n')
    expect(text).toContain(
      '- **app** (`stack_app`, app:1): task error: task: non-zero exit (3) (exit code 3, failed at 2026-11-30T10:00:00Z); 0/1 running; logs: [logs/app.log](logs/app.log)',
    )
    expect(text).toContain(
      '| app ❌ | app:1 | 0/1 | failed at 2026-11-30T10:00:00Z | task: non-zero exit (3) |',
    )
    expect(text).toContain('- [logs/app.log](logs/app.log) (truncated from 9 bytes to 5)')
    expect(text).toContain('- events.txt (left out (9 bytes))')
    expect(text).toContain('- [../browser/flow.png](../browser/flow.png)')
    expect(text).toContain(
      '## Not collected\n\n- docker events: Docker: read events failed: boom\n',
    )
    expect(text.indexOf('app ❌')).toBeLessThan(text.indexOf('| db |'))
  })

  test('a green run collected on demand says so', () => {
    const text = formatIndex({ ...index, why: 'always', services: [], errors: [] })
    expect(text).toContain('because CCCI_DIAGNOSTICS=always')
    expect(text).toContain('None: every service ran as desired')
    expect(text).not.toContain('Not collected')
  })

  test('events read one a line, oldest first, with the attributes that matter', () => {
    const event = (time: string, action: string, attributes: Record<string, string>) => ({
      time,
      type: 'container',
      action,
      actorId: 'abcdef0123456789',
      attributes,
    })
    expect(
      formatEvents([
        event('2026-11-30T10:00:02.000Z', 'die', {
          name: 'stack_app.1.x',
          exitCode: '3',
          foo: 'x',
        }),
        event('2026-11-30T10:00:01.000Z', 'start', {}),
        event('2026-11-30T10:00:01.500Z', 'exec_start: wget -q http://127.0.0.1/', {}),
      ]),
    ).toBe(
      '2026-11-30T10:00:01.000Z container start abcdef012345\n2026-11-30T10:00:02.000Z container die stack_app.1.x (exitCode=3)\n(1 exec events, health checks mostly, left out)\n',
    )
  })
})

describe('when a bundle is collected, and how the result finds it', () => {
  test('a failed run always, a green one only with CCCI_DIAGNOSTICS=always', () => {
    expect(wantsDiagnostics(true, 'on-failure')).toBe(true)
    expect(wantsDiagnostics(false, 'on-failure')).toBe(false)
    expect(wantsDiagnostics(false, 'always')).toBe(true)
    expect(loadSettings({}).diagnostics).toBe('on-failure')
    expect(loadSettings({ CCCI_DIAGNOSTICS: 'always' }).diagnostics).toBe('always')
    expect(() => loadSettings({ CCCI_DIAGNOSTICS: 'sometimes' })).toThrow(/CCCI_DIAGNOSTICS/)
  })

  test('the result links the bundle with its headline; no bundle, no link', () => {
    const results = join(work, 'results')
    expect(readDiagnosticsLink(results)).toBeUndefined()
    mkdirSync(join(results, 'diagnostics'), { recursive: true })
    writeFileSync(join(results, 'diagnostics', 'index.md'), '# Diagnostics\n')
    writeFileSync(
      join(results, 'diagnostics', 'services.json'),
      JSON.stringify({ headline: 'failing service app: task error: boom', services: [] }),
    )
    const link = readDiagnosticsLink(results)
    expect(link).toEqual({
      path: 'diagnostics',
      index: 'diagnostics/index.md',
      headline: 'failing service app: task error: boom',
    })
    const summary = summaryMarkdown({
      ...bareRunResult(),
      diagnostics: link?.path,
      diagnosticsHeadline: link?.headline,
    })
    expect(summary).toContain(
      '\nDiagnostics: diagnostics/index.md — failing service app: task error: boom\n',
    )
    expect(summaryMarkdown(bareRunResult())).not.toContain('Diagnostics:')
  })
})
