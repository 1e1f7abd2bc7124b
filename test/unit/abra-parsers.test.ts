import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  AppListSchema,
  AppPsSchema,
  extractJson,
  fatalMessage,
  findApp,
  listedState,
  logLines,
  parseGeneratedSecrets,
  parseLintTable,
  parseSnapshots,
  psImages,
  psStates,
  saysNoSnapshots,
  stripTerminal,
} from '../../harness/abra/index.ts'
import { CcciError } from '../../harness/errors.ts'
import { REPO_ROOT } from '../support/fixtures.ts'

const sample = (name: string) =>
  readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'abra', name), 'utf8')

/** The error `fn` throws. */
function thrown(fn: () => unknown): CcciError {
  try {
    fn()
  } catch (error) {
    if (error instanceof CcciError) {
      return error
    }
    throw error
  }
  throw new Error('expected a CcciError')
}

describe('terminal output', () => {
  test('escapes, CRLF and carriage-return redraws are removed', () => {
    const raw = '\u001b[1;32mINFO\u001b[0m deploying\r\n 0/1\r 1/1\r\n\u001b]0;title\u0007done\r\n'
    expect(stripTerminal(raw)).toBe('INFO deploying\n 1/1\ndone\n')
  })

  test('level-prefixed lines are abra messages; the FATA text is the failure', () => {
    const output = sample('deploy-failed.txt')
    expect(logLines(output).map((l) => l.level)).toEqual(['INFO', 'INFO', 'WARN', 'WARN', 'FATA'])
    expect(fatalMessage(output)).toBe('deploy failed 🛑')
    expect(fatalMessage('ERRO[0001] no such app\n')).toBe('no such app')
    expect(fatalMessage('all good\n')).toBeUndefined()
  })

  test('the JSON document is found among messages, and a missing one is a typed error', () => {
    expect(extractJson('WARN something\n{"a": [1]}\nINFO done\n', 'abra x')).toEqual({ a: [1] })
    const error = thrown(() => extractJson('FATA nope\n', 'abra app ls -m'))
    expect(error.code).toBe('CCCI_ABRA_OUTPUT')
    expect(error.message).toContain('`abra app ls -m` printed no JSON document')
  })
})

describe('app ls -m', () => {
  const list = AppListSchema.parse(JSON.parse(sample('app-ls-machine.json')))

  test('a deployed release: version, not chaos', () => {
    expect(listedState(findApp(list, 'ch-1a2b3c.ci.example.net'))).toEqual({
      deployed: true,
      version: '1.11.0+1.29.0',
      chaos: false,
      chaosVersion: undefined,
    })
  })

  test('a chaos deploy keeps the recipe version and the stamp', () => {
    expect(listedState(findApp(list, 'tiny-0f1e2d.ccci.localhost'))).toEqual({
      deployed: true,
      version: '1.1.0+1.35.0',
      chaos: true,
      chaosVersion: 'eb96de94+U',
    })
  })

  test('undeployed and unknown apps read as not deployed, with abra\'s "unknown" as no value', () => {
    const none = { deployed: false, version: undefined, chaos: false, chaosVersion: undefined }
    expect(listedState(findApp(list, 'tiny-aaaaaa.ccci.localhost'))).toEqual(none)
    expect(listedState(findApp(list, 'not-there.example'))).toEqual(none)
  })

  test('a shape without appName is refused', () => {
    expect(AppListSchema.safeParse({ default: { apps: [{ server: 'x' }] } }).success).toBe(false)
  })
})

describe('app ps -m', () => {
  test('services with their container state, one task each', () => {
    const states = psStates(AppPsSchema.parse(JSON.parse(sample('app-ps-machine.json'))), 'x')
    expect(states).toEqual([
      {
        service: 'app',
        image: 'ccci-local/busybox:1',
        desired: 1,
        running: 1,
        status: 'running (Up 2 minutes (healthy))',
      },
      { service: 'db', image: 'unknown', desired: 1, running: 0, status: 'unknown (unknown)' },
    ])
    expect(psImages(states)).toEqual({ app: 'ccci-local/busybox:1' })
  })
})

describe('recipe lint table', () => {
  test('every rule passing or skipped is ok', () => {
    const result = parseLintTable(sample('recipe-lint-ok.txt'))
    expect(result.ok).toBe(true)
    expect(result.rules).toHaveLength(15)
    expect(result.rules[0]).toEqual({
      ref: 'R001',
      level: 'warn',
      description: 'compose config has expected version',
      satisfied: true,
      skipped: false,
    })
    expect(result.rules.filter((r) => r.skipped).map((r) => r.ref)).toEqual(['R006', 'R013'])
  })

  test('a failing error-level rule fails the lint (abra exits 0 all the same)', () => {
    const result = parseLintTable(sample('recipe-lint-failing.txt'))
    expect(result.ok).toBe(false)
    expect(result.rules.filter((r) => !r.satisfied && !r.skipped).map((r) => r.ref)).toEqual([
      'R001',
      'R010',
    ])
  })

  test('a failing warn-level rule alone does not', () => {
    const table = sample('recipe-lint-failing.txt').replace(
      /│ R010 │ traefik routing enabled(\s+)│ error {4}│ ❌/,
      '│ R010 │ traefik routing enabled$1│ error    │ ✅',
    )
    expect(table).not.toBe(sample('recipe-lint-failing.txt'))
    expect(parseLintTable(table).ok).toBe(true)
  })

  test('the ASCII tables of older abra read the same', () => {
    const result = parseLintTable(sample('recipe-lint-ascii.txt'))
    expect(result.rules.map((r) => [r.ref, r.level, r.satisfied])).toEqual([
      ['R001', 'warn', true],
      ['R002', 'warn', false],
      ['R009', 'error', true],
      ['R012', 'error', false],
    ])
    expect(result.ok).toBe(false)
  })

  test('a wrapped description is joined back', () => {
    const table = [
      '│ REF  │ RULE            │ SEVERITY │ SATISFIED │ SKIPPED │',
      '│ R014 │ only annotated  │ error    │ ❌        │ ❌      │',
      '│      │ tags used       │          │           │         │',
    ].join('\n')
    expect(parseLintTable(table).rules).toEqual([
      {
        ref: 'R014',
        level: 'error',
        description: 'only annotated tags used',
        satisfied: false,
        skipped: false,
      },
    ])
  })

  test('no table, or a row it cannot read, is a typed error rather than a pass', () => {
    expect(thrown(() => parseLintTable('INFO nothing to see\n')).code).toBe('CCCI_ABRA_OUTPUT')
    const odd = '│ REF │ RULE │ SEVERITY │ SATISFIED │ SKIPPED │\n│ R001 │ x │ warn │ maybe │ ❌ │'
    expect(thrown(() => parseLintTable(odd)).message).toContain('a lint row cc-ci cannot read')
  })
})

describe('secret generate -m', () => {
  test('names and values', () => {
    const output = `WARN tiny_token_v1 already exists\n${sample('secret-generate-machine.json')}`
    expect(parseGeneratedSecrets(output, 'abra', '').map((s) => s.name)).toEqual([
      'db_password',
      'secret_key_base',
    ])
  })

  test('nothing generated', () => {
    expect(parseGeneratedSecrets('null\n', 'abra', '')).toEqual([])
    expect(parseGeneratedSecrets('WARN every secret exists\n', 'abra', '')).toEqual([])
  })

  test('a table (values cc-ci cannot register) is refused without quoting it', () => {
    const error = thrown(() =>
      parseGeneratedSecrets('│ NAME │ VALUE │\n│ token │ s3cr3t-value │', 'abra', 'WARN x'),
    )
    expect(error.report()).not.toContain('s3cr3t-value')
  })

  test('broken JSON is refused without quoting it', () => {
    const error = thrown(() =>
      parseGeneratedSecrets('[{"name": "token", "value": "s3cr3t-value"', 'abra', ''),
    )
    expect(error.code).toBe('CCCI_ABRA_OUTPUT')
    expect(error.report()).not.toContain('s3cr3t-value')
  })
})

describe('backup snapshots', () => {
  test('one id per `<time> <id>` line', () => {
    expect(parseSnapshots(sample('backup-snapshots.txt'))).toEqual([
      { time: '2026-01-03T12:00:00', id: '1a2b3c4d' },
      { time: '2026-01-04T09:30:12', id: '9f8e7d6c' },
    ])
    expect(saysNoSnapshots('No Snapshots found\n')).toBe(true)
    expect(parseSnapshots('No Snapshots found\n')).toEqual([])
  })
})
