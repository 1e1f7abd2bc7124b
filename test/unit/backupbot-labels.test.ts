import { describe, expect, test } from 'vitest'
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
    expect(plan.services).toEqual([
      {
        service: 'app',
        hooks: {},
        volumes: [{ key: 'upload-data', volume: `${STACK}_upload-data`, paths: 'all' }],
      },
      {
        service: 'db',
        hooks: { backupPre: '/pg_backup.sh backup', restorePost: '/pg_backup.sh restore' },
        volumes: [{ key: 'db-data', volume: `${STACK}_db-data`, paths: ['backup.sql'] }],
      },
    ])
    expect(plan.volumes.map((v) => [v.key, v.paths])).toEqual([
      ['db-data', ['backup.sql']],
      ['upload-data', 'all'],
    ])
    expect(plan.warnings).toEqual([])
  })

  test('ENABLE_BACKUPS=false on the db leaves only the app', () => {
    const off = [bonfire[0]!, { ...bonfire[1]!, labels: { 'backupbot.backup': 'false' } }]
    expect(backupPlan(STACK, off).services.map((s) => s.service)).toEqual(['app'])
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
    expect(backupPlan(STACK, plain)).toEqual({ services: [], volumes: [], warnings: [] })
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
    expect(plan.services.map((s) => s.service)).toEqual(['app', 'worker'])
    expect(plan.volumes).toEqual([
      { key: 'data', volume: `${STACK}_data`, paths: ['queue', 'uploads'] },
    ])
  })

  test('labels of services that are not backed up have no effect', () => {
    const plan = backupPlan(STACK, [
      service('app', { 'backupbot.backup': 'true' }, { content: '/var/www' }),
      service(
        'cache',
        { 'backupbot.backup.volumes.nope.path': '../x', 'backupbot.backup.pre-hook': 'exit 1' },
        { redis: '/data' },
      ),
    ])
    expect(plan.services.map((s) => s.service)).toEqual(['app'])
    expect(plan.volumes.map((v) => v.key)).toEqual(['content'])
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
    expect(plan.services[0]?.hooks).toEqual({
      backupPre: 'echo pre',
      backupPost: 'echo post',
      restorePre: 'echo rpre',
    })
  })
})

describe('backupPlan: the legacy backupbot.backup.path form', () => {
  test('maps absolute container paths onto the volume mounted deepest', () => {
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

  test('a path label for a volume the service does not mount', () => {
    const message = labelError([
      service(
        'db',
        { 'backupbot.backup': 'true', 'backupbot.backup.volumes.dbdata.path': 'backup.sql' },
        { 'db-data': '/var/lib/postgresql/data' },
      ),
    ])
    expect(message).toContain('names volume "dbdata", which the service does not mount')
    expect(message).toContain('it mounts: db-data')
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
