import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { isCcciError } from '../../harness/errors.ts'
import {
  backupPlan,
  isBackupCapable,
  volumeKey,
  type BackupServiceInput,
} from '../../harness/coop/backupbot-labels.ts'

const STACK = 'bonf-1a2b3c_ccci_localhost'

function service(
  name: string,
  labels: Record<string, string>,
  mounts: Record<string, string> = {},
): BackupServiceInput {
  return {
    name,
    labels,
    mounts: Object.entries(mounts).map(([key, target]) => ({
      volume: `${STACK}_${key}`,
      target,
    })),
  }
}

/** The label error's message, or a failure when the plan was accepted. */
function labelError(services: BackupServiceInput[]): string {
  try {
    backupPlan(STACK, services)
  } catch (error) {
    expect(isCcciError(error, 'CCCI_BACKUPBOT_LABEL')).toBe(true)
    return (error as Error).message
  }
  throw new Error('expected CCCI_BACKUPBOT_LABEL, the plan was accepted')
}

/** bonfire (github.com/bonfire-networks/bonfire-coop-cloud): app + Postgres, a dump pre-hook. */
const bonfire = [
  service(
    'app',
    {
      'coop-cloud.bonf.timeout': '300',
      'backupbot.backup': 'true',
      'traefik.enable': 'true',
    },
    { 'upload-data': '/opt/app/data/uploads' },
  ),
  service(
    'db',
    {
      'backupbot.backup': 'true',
      'backupbot.backup.pre-hook': '/pg_backup.sh backup',
      'backupbot.backup.volumes.db-data.path': 'backup.sql',
      'backupbot.restore.post-hook': '/pg_backup.sh restore',
    },
    { 'db-data': '/var/lib/postgresql/data' },
  ),
]

describe('backupPlan: the BONFIRE labels', () => {
  test('backs up the app volume whole and only the dump of the db volume, with the db hooks', () => {
    const plan = backupPlan(STACK, bonfire)
    expect(plan.labelled).toEqual(['app', 'db'])
    expect(plan.hooks).toEqual([
      {
        service: 'db',
        hooks: { backupPre: '/pg_backup.sh backup', restorePost: '/pg_backup.sh restore' },
      },
    ])
    expect(plan.volumes).toEqual([
      { key: 'db-data', volume: `${STACK}_db-data`, paths: ['backup.sql'] },
      { key: 'upload-data', volume: `${STACK}_upload-data`, paths: 'all' },
    ])
    expect(plan.warnings).toEqual([
      'backupbot.backup=true is set on 2 services (app, db); the spec wants it on one: the stack is backed up once, all its volumes',
    ])
  })

  test('ENABLE_BACKUPS=false on the db: the stack is still backed up, the db volume with it (spec)', () => {
    const off = [bonfire[0]!, { ...bonfire[1]!, labels: { 'backupbot.backup': 'false' } }]
    const plan = backupPlan(STACK, off)
    expect(plan.labelled).toEqual(['app'])
    expect(plan.volumes.map((v) => [v.key, v.paths])).toEqual([
      ['db-data', 'all'],
      ['upload-data', 'all'],
    ])
    expect(plan.warnings).toEqual([])
  })

  test('backupbot.backup is read case-insensitively, and only "true" enables it', () => {
    const with_ = (value: string) => [service('app', { 'backupbot.backup': value })]
    expect(isBackupCapable(with_('TRUE'))).toBe(true)
    expect(isBackupCapable(with_(' True '))).toBe(true)
    expect(isBackupCapable(with_('yes'))).toBe(false)
    expect(isBackupCapable(with_('1'))).toBe(false)
    expect(isBackupCapable(with_('false'))).toBe(false)
  })
})

describe('isBackupCapable', () => {
  test('is true when any service says backupbot.backup=true', () => {
    expect(isBackupCapable(bonfire)).toBe(true)
    expect(
      isBackupCapable([service('web', {}), service('db', { 'backupbot.backup': 'true' })]),
    ).toBe(true)
  })

  test('is false without any backupbot labels, and the plan is empty', () => {
    const plain = [service('app', { 'traefik.enable': 'true' }, { content: '/var/www' })]
    expect(isBackupCapable(plain)).toBe(false)
    expect(isBackupCapable([])).toBe(false)
    expect(backupPlan(STACK, plain)).toEqual({
      labelled: [],
      hooks: [],
      volumes: [],
      warnings: [],
    })
  })
})

describe('backupPlan: volume selection', () => {
  test('all mounted volumes by default; volumes.<volume>=false excludes one', () => {
    const plan = backupPlan(STACK, [
      service(
        'app',
        { 'backupbot.backup': 'true', 'backupbot.backup.volumes.cache': 'FALSE' },
        { data: '/data', cache: '/cache', config: '/etc/app' },
      ),
    ])
    expect(plan.volumes.map((v) => v.key)).toEqual(['config', 'data'])
  })

  test('volumes.<volume>=true keeps the volume', () => {
    const plan = backupPlan(STACK, [
      service(
        'app',
        { 'backupbot.backup': 'true', 'backupbot.backup.volumes.data': 'true' },
        { data: '/data' },
      ),
    ])
    expect(plan.volumes).toEqual([{ key: 'data', volume: `${STACK}_data`, paths: 'all' }])
  })

  test('path lists are split, trimmed, normalised, deduplicated and nested paths folded', () => {
    const plan = backupPlan(STACK, [
      service(
        'app',
        {
          'backupbot.backup': 'true',
          'backupbot.backup.volumes.data.path':
            ' uploads/ , db/dump.sql,uploads/avatars,./db/dump.sql,,/keys',
        },
        { data: '/data' },
      ),
    ])
    expect(plan.volumes[0]?.paths).toEqual(['db/dump.sql', 'keys', 'uploads'])
  })

  test('a path of "." selects the whole volume', () => {
    const plan = backupPlan(STACK, [
      service(
        'app',
        { 'backupbot.backup': 'true', 'backupbot.backup.volumes.data.path': 'a,.' },
        { data: '/data' },
      ),
    ])
    expect(plan.volumes[0]?.paths).toBe('all')
  })

  test('a path for an excluded volume is ignored with a warning', () => {
    const plan = backupPlan(STACK, [
      service(
        'app',
        {
          'backupbot.backup': 'true',
          'backupbot.backup.volumes.data': 'false',
          'backupbot.backup.volumes.data.path': 'x',
        },
        { data: '/data', other: '/other' },
      ),
    ])
    expect(plan.volumes.map((v) => v.key)).toEqual(['other'])
    expect(plan.warnings).toEqual([
      'service app: backupbot.backup.volumes.data.path ignored: volume data is excluded',
    ])
  })

  test('volume keys with dots and volumes outside the stack namespace', () => {
    expect(volumeKey(STACK, `${STACK}_my.data`)).toBe('my.data')
    expect(volumeKey(STACK, 'shared-external')).toBe('shared-external')
    const plan = backupPlan(STACK, [
      {
        name: 'app',
        labels: { 'backupbot.backup': 'true', 'backupbot.backup.volumes.my.data.path': 'f' },
        mounts: [
          { volume: `${STACK}_my.data`, target: '/d' },
          { volume: 'shared-external', target: '/x' },
        ],
      },
    ])
    expect(plan.volumes).toEqual([
      { key: 'my.data', volume: `${STACK}_my.data`, paths: ['f'] },
      { key: 'shared-external', volume: 'shared-external', paths: 'all' },
    ])
  })

  test('services sharing a volume get one merged selection', () => {
    const plan = backupPlan(STACK, [
      service(
        'worker',
        { 'backupbot.backup': 'true', 'backupbot.backup.volumes.data.path': 'queue' },
        { data: '/data' },
      ),
      service(
        'app',
        { 'backupbot.backup': 'true', 'backupbot.backup.volumes.data.path': 'uploads' },
        { data: '/srv' },
      ),
    ])
    expect(plan.labelled).toEqual(['app', 'worker'])
    expect(plan.volumes).toEqual([
      { key: 'data', volume: `${STACK}_data`, paths: ['queue', 'uploads'] },
    ])
  })

  test('labels on a service without backupbot.backup=true count too (spec: hooks "on a service")', () => {
    const plan = backupPlan(STACK, [
      service('app', { 'backupbot.backup': 'true' }, { content: '/var/www' }),
      service(
        'cache',
        { 'backupbot.backup.volumes.redis': 'false', 'backupbot.backup.pre-hook': 'exit 1' },
        { redis: '/data' },
      ),
    ])
    expect(plan.labelled).toEqual(['app'])
    expect(plan.hooks).toEqual([{ service: 'cache', hooks: { backupPre: 'exit 1' } }])
    expect(plan.volumes.map((v) => v.key)).toEqual(['content'])
  })

  test('nothing is backed up, and no label is checked, unless some service says backupbot.backup=true', () => {
    const plan = backupPlan(STACK, [
      service(
        'app',
        { 'backupbot.backup.volumes.nope.path': '../x', 'backupbot.backup.pre-hook': 'exit 1' },
        { content: '/var/www' },
      ),
    ])
    expect(plan).toEqual({ labelled: [], hooks: [], volumes: [], warnings: [] })
  })

  test('all four hooks are read; empty hooks are no hooks', () => {
    const plan = backupPlan(STACK, [
      service('app', {
        'backupbot.backup': 'true',
        'backupbot.backup.pre-hook': 'echo pre',
        'backupbot.backup.post-hook': 'echo post',
        'backupbot.restore.pre-hook': ' echo rpre ',
        'backupbot.restore.post-hook': '',
      }),
    ])
    expect(plan.hooks[0]?.hooks).toEqual({
      backupPre: 'echo pre',
      backupPost: 'echo post',
      restorePre: 'echo rpre',
    })
  })
})

describe('backupPlan: the legacy backupbot.backup.path form', () => {
  test('maps absolute container paths onto the volume mounted deepest; other volumes whole', () => {
    const plan = backupPlan(STACK, [
      service(
        'app',
        {
          'backupbot.backup': 'true',
          'backupbot.backup.path': '/var/www/html/wp-content/uploads, /var/www/html/config.php',
        },
        { html: '/var/www/html', uploads: '/var/www/html/wp-content/uploads/', other: '/other' },
      ),
    ])
    expect(plan.volumes).toEqual([
      { key: 'html', volume: `${STACK}_html`, paths: ['config.php'] },
      { key: 'other', volume: `${STACK}_other`, paths: 'all' },
      { key: 'uploads', volume: `${STACK}_uploads`, paths: 'all' },
    ])
  })

  test('a volume mounted at / takes paths no deeper mount holds', () => {
    const plan = backupPlan(STACK, [
      service(
        'app',
        { 'backupbot.backup': 'true', 'backupbot.backup.path': '/srv/a,/data/b' },
        { root: '/', data: '/data' },
      ),
    ])
    expect(plan.volumes.map((v) => [v.key, v.paths])).toEqual([
      ['data', ['b']],
      ['root', ['srv/a']],
    ])
  })

  test('a path on no volume is refused, naming the mount points', () => {
    const message = labelError([
      service(
        'app',
        { 'backupbot.backup': 'true', 'backupbot.backup.path': '/var/www,/etc/passwd' },
        { content: '/var/www' },
      ),
    ])
    expect(message).toContain('/etc/passwd')
    expect(message).toContain('/var/www')
  })

  test('relative paths and paths climbing out with .. are refused', () => {
    expect(
      labelError([
        service(
          'app',
          { 'backupbot.backup': 'true', 'backupbot.backup.path': 'www' },
          { content: '/var/www' },
        ),
      ]),
    ).toContain('relative path')
    expect(
      labelError([
        service(
          'app',
          { 'backupbot.backup': 'true', 'backupbot.backup.path': '/var/www/../etc' },
          { content: '/var/www' },
        ),
      ]),
    ).toContain('on no volume')
  })

  test('mixing both forms is refused', () => {
    expect(
      labelError([
        service(
          'app',
          {
            'backupbot.backup': 'true',
            'backupbot.backup.path': '/var/www',
            'backupbot.backup.volumes.content': 'false',
          },
          { content: '/var/www' },
        ),
      ]),
    ).toContain('use one form')
  })
})

describe('backupPlan: nonsense labels are typed errors', () => {
  test('a path escaping its volume with ..', () => {
    const message = labelError([
      service(
        'db',
        { 'backupbot.backup': 'true', 'backupbot.backup.volumes.db-data.path': 'ok,../../etc' },
        { 'db-data': '/var/lib/postgresql/data' },
      ),
    ])
    expect(message).toContain('service db')
    expect(message).toContain('leaves the volume: ../../etc')
  })

  test('contradicting exclusions on two services', () => {
    const message = labelError([
      service(
        'app',
        { 'backupbot.backup': 'true', 'backupbot.backup.volumes.data': 'true' },
        { data: '/data' },
      ),
      service('worker', { 'backupbot.backup.volumes.data': 'false' }, { data: '/data' }),
    ])
    expect(message).toContain('service worker')
    expect(message).toContain('contradicts service app: backupbot.backup.volumes.data')
  })

  test('an exclusion that is neither true nor false, and an empty path list', () => {
    expect(
      labelError([
        service(
          'app',
          { 'backupbot.backup': 'true', 'backupbot.backup.volumes.data': 'no' },
          { data: '/data' },
        ),
      ]),
    ).toContain('must be true or false')
    expect(
      labelError([
        service(
          'app',
          { 'backupbot.backup': 'true', 'backupbot.backup.volumes.data.path': ' , ' },
          { data: '/data' },
        ),
      ]),
    ).toContain('lists no paths')
  })
})

/**
 * The services of a compose file as a deployed stack shows them: deploy labels (list or map form,
 * `${STACK_NAME}` substituted) and short-syntax named-volume mounts.
 */
function composeServices(file: string): BackupServiceInput[] {
  const compose = parse(readFileSync(file, 'utf8')) as {
    services: Record<
      string,
      { volumes?: string[]; deploy?: { labels?: string[] | Record<string, string> } }
    >
    volumes?: Record<string, unknown>
  }
  const named = new Set(Object.keys(compose.volumes ?? {}))
  return Object.entries(compose.services).map(([name, spec]) => {
    const raw = spec.deploy?.labels ?? []
    const pairs: [string, string][] = Array.isArray(raw)
      ? raw.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
      : Object.entries(raw)
    return {
      name,
      labels: Object.fromEntries(pairs.map(([k, v]) => [k, v.replaceAll('${STACK_NAME}', STACK)])),
      mounts: (spec.volumes ?? [])
        .map((v) => v.split(':'))
        .filter(([source]) => named.has(source ?? ''))
        .map(([source, target]) => ({ volume: `${STACK}_${source}`, target: target ?? '' })),
    }
  })
}

/**
 * The spec (docs.coopcloud.tech/specs/backup/spec): `backupbot.backup=true` "MUST be set on one of
 * its services"; "By default all volumes MUST be backed up"; `backupbot.backup.volumes.{volume_name}`
 * excludes or limits one; hooks "MAY be set on a service" and run "inside the running container of
 * the service". Its maintainers' guide: "Unless otherwise stated all labels should be added to the
 * main service (which should be named `app`)". The stack below follows it: every label on `app`
 * except the database's dump hook, which must run where `pg_dump` is.
 */
describe('backupPlan: the spec backs up the whole stack', () => {
  const spec = [
    service(
      'app',
      {
        'backupbot.backup': 'true',
        'backupbot.backup.volumes.cache': 'false',
        'backupbot.backup.volumes.db-data.path': 'backup.sql',
      },
      { uploads: '/srv/uploads', cache: '/srv/cache' },
    ),
    service(
      'db',
      {
        'backupbot.backup.pre-hook': 'pg_dump -U app app > /var/lib/postgresql/data/backup.sql',
        'backupbot.backup.post-hook': 'rm -f /var/lib/postgresql/data/backup.sql',
      },
      { 'db-data': '/var/lib/postgresql/data' },
    ),
    service('redis', {}, { 'redis-data': '/data' }),
  ]

  test('every volume of the stack, also those of services without backupbot.backup=true', () => {
    const plan = backupPlan(STACK, spec)
    expect(plan.labelled).toEqual(['app'])
    expect(plan.volumes).toEqual([
      { key: 'db-data', volume: `${STACK}_db-data`, paths: ['backup.sql'] },
      { key: 'redis-data', volume: `${STACK}_redis-data`, paths: 'all' },
      { key: 'uploads', volume: `${STACK}_uploads`, paths: 'all' },
    ])
    expect(plan.warnings).toEqual([])
  })

  test('hooks are read from any service, to run in its own container', () => {
    expect(backupPlan(STACK, spec).hooks).toEqual([
      {
        service: 'db',
        hooks: {
          backupPre: 'pg_dump -U app app > /var/lib/postgresql/data/backup.sql',
          backupPost: 'rm -f /var/lib/postgresql/data/backup.sql',
        },
      },
    ])
  })

  test('a volume label naming a volume no service mounts has no effect, with a warning', () => {
    const plan = backupPlan(STACK, [
      service(
        'app',
        { 'backupbot.backup': 'true', 'backupbot.backup.volumes.dbdata.path': 'backup.sql' },
        { content: '/var/www' },
      ),
      service('db', {}, { 'db-data': '/var/lib/postgresql/data' }),
    ])
    expect(plan.volumes.map((v) => [v.key, v.paths])).toEqual([
      ['content', 'all'],
      ['db-data', 'all'],
    ])
    expect(plan.warnings).toEqual([
      'service app: backupbot.backup.volumes.dbdata.path has no effect: no service of the stack mounts a volume "dbdata" (mounted: content, db-data)',
    ])
  })
})

/** foodsharing-cms (test/fixtures/real-recipes/foodsharing-cms): the pre-spec path label. */
describe('backupPlan: the FOODSHARING-CMS labels (legacy backupbot.backup.path)', () => {
  const services = composeServices('test/fixtures/real-recipes/foodsharing-cms/compose.yml')

  test('backupbot.backup.path=/data is the whole cms_data volume, mounted at /data', () => {
    expect(services.map((s) => [s.name, s.labels['backupbot.backup.path'], s.mounts])).toEqual([
      ['app', '/data', [{ volume: `${STACK}_cms_data`, target: '/data' }]],
    ])
    expect(backupPlan(STACK, services)).toEqual({
      labelled: ['app'],
      hooks: [],
      volumes: [{ key: 'cms_data', volume: `${STACK}_cms_data`, paths: 'all' }],
      warnings: [],
    })
  })
})

describe('backupPlan: labels cc-ci does not know are reported', () => {
  test('backupbot.backup.command (seen in real recipes, in no spec) warns: its dump is not made', () => {
    const plan = backupPlan(STACK, [
      service(
        'db',
        {
          'backupbot.backup': 'true',
          'backupbot.backup.command': 'pg_dump -U app app > /var/lib/postgresql/data/dump.sql',
          'traefik.enable': 'false',
        },
        { 'db-data': '/var/lib/postgresql/data' },
      ),
    ])
    expect(plan.volumes.map((v) => v.key)).toEqual(['db-data'])
    expect(plan.warnings).toHaveLength(1)
    expect(plan.warnings[0]).toMatch(
      /^service db: label backupbot\.backup\.command="pg_dump .*" is not a backupbot label cc-ci knows and has no effect/,
    )
    expect(plan.warnings[0]).toContain('backupbot.backup.pre-hook')
  })

  test('unknown labels are reported on any service, even when nothing is backed up', () => {
    const plan = backupPlan(STACK, [
      service('app', { 'backupbot.backup': 'yes', 'backupbot.restore': 'true' }),
    ])
    expect(plan.labelled).toEqual([])
    expect(plan.warnings).toEqual([
      expect.stringContaining(
        'service app: label backupbot.restore="true" is not a backupbot label',
      ),
      'service app: label backupbot.backup="yes" is read as false (only "true" enables backups)',
    ])
  })

  test('every label of the spec and the legacy path is known: no warning', () => {
    const plan = backupPlan(STACK, [
      service(
        'app',
        {
          'backupbot.backup': 'true',
          'backupbot.backup.pre-hook': 'a',
          'backupbot.backup.post-hook': 'b',
          'backupbot.restore.pre-hook': 'c',
          'backupbot.restore.post-hook': 'd',
          'backupbot.backup.volumes.data': 'true',
          'backupbot.backup.volumes.data.path': 'x',
        },
        { data: '/data' },
      ),
      service('web', { 'backupbot.backup.path': '/srv/www' }, { www: '/srv/www' }),
    ])
    expect(plan.warnings).toEqual([])
  })
})
