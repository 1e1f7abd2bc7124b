import { describe, expect, test } from 'vitest'
import { backupPlan } from '../../harness/coop/backupbot-labels.ts'
import {
  appBackupPlan,
  backupInputs,
  mountsByKey,
} from '../../harness/coop/deployed-backup-plan.ts'

const STACK = 'tiny-1a2b3c_ccci_localhost'

interface Service {
  name: string
  labels: Record<string, string>
  mounts: ReturnType<typeof mount>[]
}

const mount = (type: string, source: string, target: string) => ({
  type,
  source,
  target,
  readOnly: false,
})

const services: Service[] = [
  {
    name: `${STACK}_app`,
    labels: { 'backupbot.backup': 'true' },
    mounts: [
      mount('volume', `${STACK}_content`, '/var/www'),
      mount('bind', '/etc/hosts', '/etc/hosts'),
      mount('tmpfs', '', '/tmp'),
    ],
  },
  {
    name: `${STACK}_db`,
    labels: {},
    mounts: [mount('volume', `${STACK}_db-data`, '/var/lib/db'), mount('volume', '', '/anon')],
  },
]

describe('backupInputs', () => {
  test('names services without the stack and keeps only named volumes', () => {
    expect(backupInputs(STACK, services)).toEqual([
      {
        name: 'app',
        labels: { 'backupbot.backup': 'true' },
        mounts: [{ volume: `${STACK}_content`, target: '/var/www' }],
      },
      { name: 'db', labels: {}, mounts: [{ volume: `${STACK}_db-data`, target: '/var/lib/db' }] },
    ])
  })

  test('mountsByKey maps every compose key to its Docker volume', () => {
    expect(mountsByKey(STACK, backupInputs(STACK, services))).toEqual(
      new Map([
        ['content', `${STACK}_content`],
        ['db-data', `${STACK}_db-data`],
      ]),
    )
  })
})

describe('appBackupPlan', () => {
  test('capable, with the labelled service and every volume of the stack (spec)', () => {
    const plan = appBackupPlan(backupPlan(STACK, backupInputs(STACK, services)))
    expect(plan).toEqual({
      capable: true,
      services: ['app'],
      volumes: [
        { key: 'content', volume: `${STACK}_content`, paths: 'all' },
        { key: 'db-data', volume: `${STACK}_db-data`, paths: 'all' },
      ],
      warnings: [],
    })
  })

  test('nothing deployed, or no backupbot.backup=true: not capable', () => {
    expect(appBackupPlan(backupPlan(STACK, []))).toEqual({
      capable: false,
      services: [],
      volumes: [],
      warnings: [],
    })
    const unlabelled = services.map((s) => ({ ...s, labels: {} }))
    expect(appBackupPlan(backupPlan(STACK, backupInputs(STACK, unlabelled))).capable).toBe(false)
  })
})
