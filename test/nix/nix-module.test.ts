import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  evalHost,
  evalOk,
  force,
  requireNixInstantiate,
  ROOT,
  type HostConfig,
  type Unit,
} from './support/nix-eval.ts'

// The cc-ci NixOS module (nix/modules/) evaluated with the Nix library and a stand-in for NixOS
// (nix/test/nixos-stubs.nix): what a `nixos-rebuild build` of nix/hosts/example.nix would put in
// systemd, checked without NixOS. The real build on a NixOS host is the final check
// (docs/deploying.md).

const CHECKOUT = '/var/lib/cc-ci/src'
const CREDENTIAL_ENV = '/nix/store/00000000000000000000000000000000-cc-ci-credential-env'

let example: HostConfig

/** The key paths of `value` under which a string contains `needle`. */
function pathsContaining(value: unknown, needle: string, at = ''): string[] {
  if (typeof value === 'string') {
    return value.includes(needle) ? [at] : []
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) =>
      pathsContaining(inner, needle, at === '' ? key : `${at}.${key}`),
    )
  }
  return []
}

beforeAll(async () => {
  await requireNixInstantiate()
  example = await evalOk()
})

function unit(name: string): Unit {
  const found = example.systemd.services[name]
  if (found === undefined) {
    throw new Error(`no unit ${name}; units: ${Object.keys(example.systemd.services).join(', ')}`)
  }
  return found
}

describe('the example host (nix/hosts/example.nix)', () => {
  test('has every unit and timer of the cc-ci host, and no other', () => {
    expect(Object.keys(example.systemd.services).sort()).toEqual([
      'cc-ci-abra-server',
      'cc-ci-bridge',
      'cc-ci-checkout',
      'cc-ci-docker-login',
      'cc-ci-drone-repo',
      'cc-ci-drone-runner',
      'cc-ci-drone-server',
      'cc-ci-janitor',
      'cc-ci-proxy',
      'cc-ci-prune',
      'cc-ci-sso',
      'cc-ci-swarm',
      'cc-ci-sweep',
      'nginx',
    ])
    expect(Object.keys(example.systemd.timers).sort()).toEqual([
      'cc-ci-janitor',
      'cc-ci-prune',
      'cc-ci-sweep',
    ])
  })

  test('Docker: enabled, no live-restore (swarm), never its own prune', () => {
    expect(example.virtualisation.docker.enable).toBe(true)
    expect(example.virtualisation.docker.daemon.settings['live-restore']).toBe(false)
    expect(example.virtualisation.docker.autoPrune.enable).toBe(false)
  })

  test('the swarm unit initialises the swarm and the proxy network only when missing, after Docker', () => {
    const swarm = unit('cc-ci-swarm')
    expect(swarm.after).toContain('docker.service')
    expect(swarm.requires).toContain('docker.service')
    expect(swarm.serviceConfig).toMatchObject({ Type: 'oneshot', RemainAfterExit: true })
    expect(swarm.script).toMatch(
      /if \[ "\$\(docker info --format '\{\{\.Swarm\.LocalNodeState\}\}'\)" != "active" \]; then\s+docker swarm init --advertise-addr 127\.0\.0\.1/,
    )
    expect(swarm.script).toMatch(
      /if ! docker network inspect proxy .*; then\s+docker network create --driver overlay --attachable --scope swarm proxy/,
    )
  })

  test('abra: its local server after the swarm; the traefik recipe in wildcard mode after it, no ACME', () => {
    const server = unit('cc-ci-abra-server')
    expect(server.requires).toContain('cc-ci-swarm.service')
    expect(server.script).toContain('abra server add --local --no-input')
    expect(server.environment.ABRA_DIR).toBe('/var/lib/cc-ci/abra')

    const proxy = unit('cc-ci-proxy')
    expect(proxy.after).toEqual(
      expect.arrayContaining(['cc-ci-abra-server.service', 'cc-ci-swarm.service']),
    )
    expect(proxy.requires).toEqual(
      expect.arrayContaining(['cc-ci-abra-server.service', 'cc-ci-swarm.service']),
    )
    expect(proxy.script).toContain('abra app new traefik')
    expect(proxy.script).toContain('--domain "$domain" --server default --no-input')
    expect(proxy.script).toContain('domain=traefik.ci.example.org')
    expect(proxy.script).toContain('set_env "$env_file" LETS_ENCRYPT_ENV \'\'')
    expect(proxy.script).toContain('set_env "$env_file" WILDCARDS_ENABLED 1')
    expect(proxy.script).toContain(
      'set_env "$env_file" COMPOSE_FILE compose.yml:compose.wildcard.yml',
    )
    expect(proxy.script).toContain(
      'abra app secret insert "$domain" ssl_cert "$version" "$CREDENTIALS_DIRECTORY/wildcard-cert" -f --no-input',
    )
    expect(proxy.script).toContain('abra app deploy "$domain"')
    expect(proxy.serviceConfig.LoadCredential).toEqual([
      'wildcard-cert:/run/secrets/cc-ci/wildcard-fullchain.pem',
      'wildcard-key:/run/secrets/cc-ci/wildcard-key.pem',
    ])
    expect(example.networking.firewall.allowedTCPPorts).toEqual(expect.arrayContaining([80, 443]))
  })

  test('the warm SSO provider: the keycloak recipe through abra, after the proxy', () => {
    const sso = unit('cc-ci-sso')
    expect(sso.requires).toEqual(
      expect.arrayContaining(['cc-ci-proxy.service', 'cc-ci-abra-server.service']),
    )
    expect(sso.script).toContain('abra app new keycloak')
    expect(sso.script).toContain('domain=sso.ci.example.org')
    expect(sso.script).toContain('abra app secret generate "$domain" --all --no-input')
  })

  test('Drone: the server wired to Gitea, secrets as credentials; the exec runner at capacity 1', () => {
    const server = unit('cc-ci-drone-server')
    expect(server.environment).toMatchObject({
      DRONE_GITEA_SERVER: 'https://git.example.org',
      DRONE_GITEA_CLIENT_ID: '00000000-0000-0000-0000-000000000000',
      DRONE_SERVER_HOST: 'drone.ci.example.org:8443',
      DRONE_SERVER_PROTO: 'https',
      DRONE_SERVER_PORT: '127.0.0.1:8080',
      DRONE_CLEANUP_DEADLINE_RUNNING: '100m',
      DRONE_USER_FILTER: 'coop-cloud',
    })
    expect(server.serviceConfig.ExecStart).toBe(
      `${CREDENTIAL_ENV} DRONE_GITEA_CLIENT_SECRET=gitea-client-secret DRONE_RPC_SECRET=rpc-secret -- /nix/store/00000000000000000000000000000000-drone-oss/bin/drone-server`,
    )
    expect(server.serviceConfig.LoadCredential).toEqual([
      'gitea-client-secret:/run/secrets/cc-ci/drone-gitea-client-secret',
      'rpc-secret:/run/secrets/cc-ci/drone-rpc-secret',
    ])

    // Drone's public side: nginx with the wildcard certificate from its own credentials.
    const vhost = example.services.nginx.virtualHosts['drone.ci.example.org']
    expect(vhost?.listen).toContainEqual({ addr: '0.0.0.0', port: 8443, ssl: true })
    expect(vhost).toMatchObject({
      onlySSL: true,
      sslCertificateKey: '/run/credentials/nginx.service/drone-key',
      locations: { '/': { proxyPass: 'http://127.0.0.1:8080', proxyWebsockets: true } },
    })
    expect(unit('nginx').serviceConfig.LoadCredential).toEqual([
      'drone-cert:/run/secrets/cc-ci/wildcard-fullchain.pem',
      'drone-key:/run/secrets/cc-ci/wildcard-key.pem',
    ])
    expect(example.networking.firewall.allowedTCPPorts).toContain(8443)

    const runner = unit('cc-ci-drone-runner')
    expect(runner.environment).toMatchObject({
      DRONE_RUNNER_CAPACITY: '1',
      DRONE_RPC_HOST: '127.0.0.1:8080',
    })
    // No env file unless asked for: every step would see it, the recipe's own code included.
    expect(runner.serviceConfig.Environment).toEqual([])
    expect(runner.environment.DRONE_RUNNER_ENVIRON).toContain('CCCI_DRIVER:abra')
    expect(runner.environment.DRONE_RUNNER_ENVIRON).toContain('CCCI_DOMAIN_SUFFIX:ci.example.org')
    expect(runner.serviceConfig.ExecStart).toMatch(
      /-- \/nix\/store\/[^ ]*-drone-runner-exec\/bin\/drone-runner-exec daemon$/,
    )
    expect(runner.requires).toEqual(
      expect.arrayContaining(['cc-ci-checkout.service', 'cc-ci-swarm.service']),
    )
    expect(runner.after).toEqual(
      expect.arrayContaining([
        'cc-ci-drone-server.service',
        'cc-ci-proxy.service',
        'cc-ci-docker-login.service',
      ]),
    )

    const repo = unit('cc-ci-drone-repo')
    expect(repo.requires).toContain('cc-ci-drone-server.service')
    expect(repo.script).toContain(`--data '{"timeout": 90}'`)
    expect(repo.script).toContain('http://127.0.0.1:8080/api/repos/coop-cloud/cc-ci')
    expect(repo.script).toContain('put_secret gitea_token "$CREDENTIALS_DIRECTORY/verdict-token"')
    expect(repo.script).toContain('put_secret gitea_url')
    expect(repo.serviceConfig.LoadCredential).toEqual([
      'drone-admin-token:/run/secrets/cc-ci/drone-admin-token',
      'verdict-token:/run/secrets/cc-ci/verdict-gitea-token',
    ])
  })

  test('a runner env file, when given, is read through a credential', async () => {
    const config = await evalOk([
      force('drone.runnerEnvironmentFile', '"/run/secrets/cc-ci/runner.env"'),
    ])
    const runner = config.systemd.services['cc-ci-drone-runner']
    expect(runner?.serviceConfig.Environment).toEqual(['DRONE_RUNNER_ENVFILE=%d/runner-env'])
    expect(runner?.serviceConfig.LoadCredential).toContain(
      'runner-env:/run/secrets/cc-ci/runner.env',
    )
  })

  test('the bridge runs `ccci bridge` with its settings and its tokens from credentials', () => {
    const bridge = unit('cc-ci-bridge')
    expect(bridge.serviceConfig.ExecStart).toBe(
      `${CREDENTIAL_ENV} CCCI_DRONE_TOKEN=drone-token CCCI_GITEA_TOKEN=gitea-token CCCI_WEBHOOK_SECRET=webhook-secret -- ${CHECKOUT}/ccci bridge`,
    )
    expect(bridge.serviceConfig.LoadCredential).toEqual([
      'gitea-token:/run/secrets/cc-ci/gitea-token',
      'drone-token:/run/secrets/cc-ci/drone-token',
      'webhook-secret:/run/secrets/cc-ci/webhook-hmac',
    ])
    expect(bridge.serviceConfig).toMatchObject({ User: 'cc-ci', Restart: 'always' })
    expect(bridge.environment).toMatchObject({
      CCCI_GITEA_URL: 'https://git.example.org',
      CCCI_GITEA_ORG: 'coop-cloud',
      CCCI_DRONE_URL: 'http://127.0.0.1:8080',
      CCCI_DRONE_REPO: 'coop-cloud/cc-ci',
      CCCI_BRIDGE_LISTEN: '127.0.0.1:8787',
      CCCI_HOME: '/var/lib/cc-ci',
    })
    expect(bridge.requires).toContain('cc-ci-checkout.service')
    expect(bridge.after).toEqual(
      expect.arrayContaining(['cc-ci-checkout.service', 'cc-ci-drone-server.service']),
    )
  })

  test('every cc-ci command gets the production settings (harness/config/settings.ts)', () => {
    for (const name of ['cc-ci-bridge', 'cc-ci-sweep', 'cc-ci-prune', 'cc-ci-janitor']) {
      expect(unit(name).environment, name).toMatchObject({
        CCCI_HOME: '/var/lib/cc-ci',
        CCCI_DOMAIN_SUFFIX: 'ci.example.org',
        CCCI_PROXY: 'external',
        CCCI_DRIVER: 'abra',
        CCCI_SERVER: 'default',
        ABRA_DIR: '/var/lib/cc-ci/abra',
        CCCI_NODE: '/nix/store/00000000000000000000000000000000-nodejs_24/bin/node',
        // The warm SSO provider runs' deps use (docs/dependencies.md): a URL and a path, never a secret.
        CCCI_KEYCLOAK_URL: 'https://sso.ci.example.org',
        CCCI_KEYCLOAK_ADMIN_FILE: '/var/lib/cc-ci/keycloak-admin.json',
      })
    }
    expect(unit('cc-ci-drone-runner').environment.DRONE_RUNNER_ENVIRON).toContain(
      'CCCI_KEYCLOAK_URL:https://sso.ci.example.org',
    )
  })

  test('nightly timers start sweep, janitor and prune, after the swarm and the checkout', () => {
    const expected = {
      'cc-ci-sweep': { cmd: `${CHECKOUT}/ccci sweep`, at: '*-*-* 02:00:00' },
      'cc-ci-janitor': {
        cmd: `${CHECKOUT}/ccci janitor --keep-results-days 30`,
        at: '*-*-* 04:00:00',
      },
      'cc-ci-prune': { cmd: `${CHECKOUT}/ccci prune --threshold 85`, at: '*-*-* 04:30:00' },
    }
    for (const [name, { cmd, at }] of Object.entries(expected)) {
      const service = unit(name)
      expect(service.serviceConfig, name).toMatchObject({
        Type: 'oneshot',
        ExecStart: cmd,
        User: 'cc-ci',
      })
      expect(service.requires, name).toEqual(
        expect.arrayContaining(['cc-ci-checkout.service', 'cc-ci-swarm.service']),
      )
      expect(service.after, name).toEqual(
        expect.arrayContaining(['cc-ci-checkout.service', 'cc-ci-swarm.service']),
      )
      const timer = example.systemd.timers[name]
      expect(timer?.wantedBy, name).toEqual(['timers.target'])
      expect(timer?.timerConfig, name).toMatchObject({
        OnCalendar: at,
        Persistent: true,
        Unit: `${name}.service`,
      })
    }
    expect(unit('cc-ci-sweep').requires).toContain('cc-ci-proxy.service')
    expect(unit('cc-ci-prune').after).toContain('cc-ci-janitor.service')
  })

  test('the checkout is pinned to a commit; the service user is in the docker group', () => {
    const checkout = unit('cc-ci-checkout')
    expect(checkout.script).toContain('git checkout --quiet --force "$rev"')
    expect(checkout.script).toContain('rev=0000000000000000000000000000000000000000')
    expect(example.users.users['cc-ci']).toMatchObject({
      isSystemUser: true,
      extraGroups: ['docker'],
    })
    expect(example.systemd.tmpfiles.rules).toContain('d /var/lib/cc-ci 0750 cc-ci cc-ci - -')
  })

  test('the credential wrapper reads values at run time and only then', () => {
    const script = example.helperScripts['cc-ci-credential-env'] ?? ''
    expect(script).toContain('value="$(cat "$CREDENTIALS_DIRECTORY/$name")"')
    expect(script).toContain('exec "$@"')
  })
})

describe('features switched off are not there', () => {
  test('services.cc-ci.enable = false: no unit, timer, user or Docker', async () => {
    const off = await evalOk([force('enable', 'false')])
    expect(off.systemd.services).toEqual({})
    expect(off.systemd.timers).toEqual({})
    expect(off.users.users).toEqual({})
    expect(off.virtualisation.docker.enable).toBe(false)
  })

  test('a host that imports the module without enabling it gets nothing and needs no values', async () => {
    const result = await evalHost([], `{ imports = [ ${ROOT}/nix/modules/cc-ci.nix ]; }`)
    if (!result.ok) {
      throw new Error(result.error)
    }
    expect(result.config.systemd.services).toEqual({})
    expect(result.config.users.users).toEqual({})
  })

  test.each([
    ['drone.enable', ['cc-ci-drone-server', 'cc-ci-drone-runner', 'cc-ci-drone-repo', 'nginx'], []],
    ['bridge.enable', ['cc-ci-bridge'], []],
    ['sweep.enable', ['cc-ci-sweep'], ['cc-ci-sweep']],
    ['janitor.enable', ['cc-ci-janitor'], ['cc-ci-janitor']],
    ['prune.enable', ['cc-ci-prune'], ['cc-ci-prune']],
    ['proxy.enable', ['cc-ci-proxy'], []],
    ['sso.enable', ['cc-ci-sso'], []],
  ])('%s = false removes %j (timers %j) and nothing else', async (option, units, timers) => {
    const off = await evalOk([force(option, 'false')])
    for (const name of units) {
      expect(off.systemd.services).not.toHaveProperty(name)
    }
    for (const name of timers) {
      expect(off.systemd.timers).not.toHaveProperty(name)
    }
    const others = Object.keys(example.systemd.services).filter((n) => !units.includes(n))
    expect(Object.keys(off.systemd.services).sort()).toEqual(others.sort())
  })

  test('no proxy: ports 80 and 443 stay closed', async () => {
    const off = await evalOk([force('proxy.enable', 'false')])
    expect(off.networking.firewall.allowedTCPPorts).not.toContain(443)
  })

  test('no Docker Hub user: no login unit, and the runner does not wait for one', async () => {
    const off = await evalOk([
      force('dockerHub.username', 'null'),
      force('dockerHub.passwordFile', 'null'),
    ])
    expect(off.systemd.services).not.toHaveProperty('cc-ci-docker-login')
    expect(off.systemd.services['cc-ci-drone-runner']?.after).not.toContain(
      'cc-ci-docker-login.service',
    )
  })

  test('no webhook secret: the bridge gets no webhook credential', async () => {
    const off = await evalOk([force('bridge.webhookSecretFile', 'null')])
    const bridge = off.systemd.services['cc-ci-bridge']
    expect(bridge?.serviceConfig.ExecStart).not.toContain('CCCI_WEBHOOK_SECRET')
    expect(bridge?.serviceConfig.LoadCredential).toHaveLength(2)
  })
})

describe('invalid option values are rejected with the module’s messages', () => {
  test.each([
    ['drone.capacity', '2', 'services.cc-ci.drone.capacity must be 1'],
    ['domain', '"CI_Example.org"', 'services.cc-ci.domain must be a lower-case DNS name'],
    ['source.rev', '"main"', 'services.cc-ci.source.rev must be a full commit id'],
    [
      'home',
      '"var/lib/cc-ci"',
      'services.cc-ci.home must be an absolute path outside the Nix store',
    ],
    [
      'checkout',
      '"/nix/store/abc-cc-ci"',
      'services.cc-ci.checkout must be an absolute, writable path',
    ],
    [
      'gitea.tokenFile',
      '"/nix/store/abc-gitea-token"',
      'services.cc-ci.gitea.tokenFile must be the absolute path of a file outside the Nix store',
    ],
    [
      'tls.key',
      '"secrets/key.pem"',
      'services.cc-ci.tls.key must be the absolute path of a file outside the Nix store',
    ],
    ['abra.package', 'null', 'services.cc-ci.abra.package must be set'],
    [
      'dockerHub.passwordFile',
      'null',
      'services.cc-ci.dockerHub.username and services.cc-ci.dockerHub.passwordFile go together',
    ],
    ['drone.repo', '"cc-ci"', 'services.cc-ci.drone.repo takes owner/name'],
    ['bridge.listen', '"8787"', 'services.cc-ci.bridge.listen takes host:port'],
  ])('%s = %s', async (option, value, message) => {
    const result = await evalHost([force(option, value)])
    expect(result.ok).toBe(false)
    const error = result.ok ? '' : result.error
    expect(error).toContain('Failed assertions:')
    expect(error).toContain(`- ${message}`)
  })

  test('a value of the wrong type is refused by the option type', async () => {
    const result = await evalHost([force('drone.buildTimeoutMinutes', '"60"')])
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.error).toContain(
      "services.cc-ci.drone.buildTimeoutMinutes' is not of type",
    )
  })

  test('a misspelt option does not exist', async () => {
    const result = await evalHost(['{ services.cc-ci.sweep.startAtt = "daily"; }'])
    expect(result.ok).toBe(false)
    expect(result.ok ? '' : result.error).toContain(
      "The option `services.cc-ci.sweep.startAtt' does not exist",
    )
  })
})

describe('secrets stay out of the configuration', () => {
  const CANARY = 'ccci-nix-canary-7f3a9c1e5b'
  let dir: string
  const files: Record<string, string> = {}

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ccci-nix-secrets-'))
    for (const name of [
      'tls-key',
      'gitea-token',
      'drone-client',
      'drone-rpc',
      'drone-token',
      'drone-admin',
      'verdict',
      'runner-env',
      'webhook',
      'dockerhub',
      'cert',
    ]) {
      const file = join(dir, name)
      writeFileSync(file, `${CANARY}-${name}\n`, { mode: 0o600 })
      files[name] = file
    }
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('every secret file is named by its path, its content appears nowhere', async () => {
    const at = (option: string, file: string) => force(option, JSON.stringify(files[file]))
    const result = await evalHost([
      at('tls.key', 'tls-key'),
      at('tls.certificate', 'cert'),
      at('gitea.tokenFile', 'gitea-token'),
      at('drone.gitea.clientSecretFile', 'drone-client'),
      at('drone.rpcSecretFile', 'drone-rpc'),
      at('drone.tokenFile', 'drone-token'),
      at('drone.adminTokenFile', 'drone-admin'),
      at('drone.verdictTokenFile', 'verdict'),
      at('drone.runnerEnvironmentFile', 'runner-env'),
      at('bridge.webhookSecretFile', 'webhook'),
      at('dockerHub.passwordFile', 'dockerhub'),
    ])
    if (!result.ok) {
      throw new Error(result.error)
    }
    // Where the canary is, by key path (the values themselves are not printed).
    expect(pathsContaining(result.config, CANARY)).toEqual([])
    expect(result.json.includes(CANARY)).toBe(false)
    for (const file of Object.values(files)) {
      expect(result.json).toContain(file)
    }
  })
})
