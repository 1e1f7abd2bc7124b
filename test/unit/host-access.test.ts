import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { checkHostAccess } from '../../harness/coop/host-access-check.ts'
import type { AppRef } from '../../harness/driver/app-driver.ts'
import { createLogger } from '../../harness/log.ts'
import { parse } from 'yaml'
import {
  AccessStackSchema,
  decideHostAccess,
  describeFinding,
  hostAccessFindings,
  isInside,
} from '../../harness/coop/host-access.ts'
import { thrown } from '../support/env-samples.ts'
import { REPO_ROOT } from '../support/fixtures.ts'

// What `docker stack config` printed for a compose file that tries every way out (rendered in /tmp/dc).
const hostile = AccessStackSchema.parse(
  parse(readFileSync(join(REPO_ROOT, 'test/fixtures/host-access/hostile.rendered.yml'), 'utf8')),
)
// leak.conf is a symlink to /etc/passwd: the I/O shell resolves links before asking.
const resolved: Record<string, string> = { '/tmp/dc/leak.conf': '/etc/passwd' }
const outside = (file: string) => !isInside('/tmp/dc', resolved[file] ?? file)

describe('host access of a rendered stack', () => {
  const findings = hostAccessFindings(hostile, outside)
  const summary = findings.map((f) => `${f.where} ${f.kind} ${f.value}`)

  test('finds every way out of the container', () => {
    expect(summary).toEqual(
      expect.arrayContaining([
        'service app bind-mount /',
        'service app docker-socket /var/run/docker.sock',
        'service app bind-mount /tmp/dc/rel',
        'service app privileged true',
        'service app capability NET_ADMIN',
        'service app host-network host',
        'service app host-network hostnet',
        'service app host-pid host',
        'service app host-ipc host',
        'service app device /dev/fuse',
        'service app published-port 443',
        'service app published-port 8080',
        'service app owner-label cc-ci.run',
        'service app owner-label cc-ci.warm',
        'volume data owner-label cc-ci.run',
        'volume data bind-mount /etc',
        'config c1 file-outside-recipe /tmp/dc/leak.conf',
        'config c2 file-outside-recipe /etc/shadow',
        'secret s1 file-outside-recipe /tmp/outside',
      ]),
    )
    expect(
      summary.some((s) => s.includes(' data') && s.startsWith('service')),
      'a named volume is fine',
    ).toBe(false)
  })

  test('a plain recipe has no findings', () => {
    const plain = AccessStackSchema.parse({
      services: {
        app: {
          image: 'nginx',
          volumes: [{ type: 'volume', source: 'data', target: '/d' }],
          networks: { proxy: null },
        },
      },
      volumes: { data: null },
      networks: { proxy: { external: true, name: 'proxy' } },
      configs: { conf: { file: '/recipe/conf/nginx.conf' } },
    })
    expect(hostAccessFindings(plain, (f) => !isInside('/recipe', f))).toEqual([])
  })

  test('a grant allows exactly what it names; owner labels and outside files are never grantable', () => {
    const decision = decideHostAccess(findings, [
      { service: 'app', access: 'docker-socket', reason: 'traefik reads the swarm' },
      { service: 'app', access: 'capability', value: 'SYS_ADMIN', reason: 'not what is asked' },
    ])
    expect(decision.granted.map((g) => g.finding.kind)).toEqual(['docker-socket'])
    expect(decision.refused.map((f) => f.kind)).toContain('capability')
    expect(
      decision.refused
        .filter((f) => !f.grantable)
        .map((f) => f.kind)
        .sort(),
    ).toEqual(expect.arrayContaining(['file-outside-recipe', 'owner-label']))
  })

  test('each refusal says where, which key, and how to allow it', () => {
    const socket = findings.find((f) => f.kind === 'docker-socket')!
    expect(describeFinding(socket)).toBe(
      "service app: volumes /var/run/docker.sock (to allow it: hostAccess: [{ service: 'app', access: 'docker-socket', value: '/var/run/docker.sock', reason: '...' }] in recipes/<recipe>/recipe.ts)",
    )
    expect(describeFinding(findings.find((f) => f.kind === 'owner-label')!)).toMatch(
      /set by cc-ci only/,
    )
  })

  test('inside means strictly below the folder', () => {
    expect(isInside('/r', '/r/a/b')).toBe(true)
    expect(isInside('/r', '/r')).toBe(false)
    expect(isInside('/r', '/r/../etc/passwd')).toBe(false)
    expect(isInside('/r', '/rx/a')).toBe(false)
  })
})

describe('the check before a deploy (checkHostAccess)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ccci-access-'))
  symlinkSync('/etc/hostname', join(dir, 'leak.conf'))
  writeFileSync(join(dir, 'nginx.conf'), 'events {}')
  const app = { recipe: 'tiny-html', recipeDir: dir } as AppRef
  const log = createLogger('host-access-test')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('a symlink leaving the recipe is refused; a file of the recipe is fine', () => {
    const stack = (file: string) => ({
      services: { app: { image: 'x' } },
      configs: { c: { file } },
    })
    expect(checkHostAccess(app, stack(join(dir, 'nginx.conf')), [], log)).toEqual([])
    const error = thrown(() => checkHostAccess(app, stack(join(dir, 'leak.conf')), [], log))
    expect(error).toMatchObject({ code: 'CCCI_HOST_ACCESS' })
    expect((error as Error).message).toContain(`config c: configs.c.file ${join(dir, 'leak.conf')}`)
  })

  test('granted access is returned with its reason; the rest is refused, all of it named at once', () => {
    const stack = {
      services: {
        app: {
          image: 'x',
          volumes: [
            { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock' },
            { type: 'bind', source: '/etc', target: '/host-etc' },
          ],
          cap_add: ['NET_ADMIN'],
        },
      },
    }
    const grant = { service: 'app', access: 'docker-socket', reason: 'reads the swarm' } as const
    const error = thrown(() => checkHostAccess(app, stack, [grant], log)) as Error
    expect(error.message).toContain('service app: volumes /etc')
    expect(error.message).toContain('service app: cap_add NET_ADMIN')
    expect(error.message).not.toContain('docker.sock')
    const { volumes } = stack.services.app
    expect(
      checkHostAccess(
        app,
        { services: { app: { image: 'x', volumes: [volumes[0]] } } },
        [grant],
        log,
      ),
    ).toEqual([
      {
        service: 'app',
        access: 'docker-socket',
        value: '/var/run/docker.sock',
        reason: 'reads the swarm',
      },
    ])
  })
})
