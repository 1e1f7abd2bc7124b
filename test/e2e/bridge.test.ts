import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DroneClient } from '../../harness/drone/drone-client.ts'
import { buildRecipeRepo, type RecipeRepo } from '../../harness/fixtures/recipe-repo.ts'
import { startCommand, type StartedCommand } from '../../harness/process/index.ts'
import { DroneServer, type FakeBuild } from '../fakes/drone/drone-server.ts'
import { readPipeline, runPipeline, type StepRun } from '../fakes/drone/pipeline-runner.ts'
import { GiteaServer } from '../fakes/gitea/gitea-server.ts'
import { REPO_ROOT } from '../support/fixtures.ts'

/**
 * `!testme` end to end: real `ccci bridge` processes (poll and webhook), the Gitea and Drone test
 * servers over real HTTP, the store on disk across restarts; then one build whose pipeline
 * (.drone.yml) really runs: the recipe on the local swarm and `ccci verdict` posting back.
 */
const GITEA_TOKEN = 'canary-gitea-3b9f0d2e71'
const DRONE_TOKEN = 'canary-drone-c4e8a1f650'
const WEBHOOK_SECRET = 'canary-hmac-9d2c7b4e18aa'
const CANARIES = [GITEA_TOKEN, DRONE_TOKEN, WEBHOOK_SECRET]
const ORG = 'coop-cloud'
const RECIPE = 'hello-static'
const REPO = `${ORG}/${RECIPE}`
const DRONE_REPO = 'coop-cloud/cc-ci'
// A PR number of its own: part of the run's domain, never shared with another run of this machine.
const PR = 100_000 + Math.floor(Math.random() * 900_000)

let work: string
let gitea: GiteaServer
let drone: DroneServer
let source: RecipeRepo
let dbFile: string
const bridges: { proc: StartedCommand; url: string }[] = []

/** The parameters the bridge must start the pipeline with for the test's PR. */
const buildParams = () => ({
  RECIPE,
  SRC: source.path,
  REF: source.head,
  PR: String(PR),
  QUICK: '0' as const,
  FORGE_REPO: REPO,
  CCCI_TRIGGERED_BY: 'alice',
})
const outputs: string[] = []

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value !== undefined && value !== false) {
      return value
    }
    if (Date.now() > deadline) {
      throw new Error(`gave up waiting for ${what}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

interface LogLine {
  event: string
  [key: string]: unknown
}

function logLines(proc: StartedCommand): LogLine[] {
  return proc
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine)
}

async function startBridge(): Promise<{ proc: StartedCommand; url: string }> {
  const proc = startCommand(join(REPO_ROOT, 'ccci'), ['bridge'], {
    cwd: REPO_ROOT,
    timeoutMs: 600_000,
    env: {
      ...process.env,
      CCCI_GITEA_URL: gitea.url,
      CCCI_GITEA_TOKEN: GITEA_TOKEN,
      CCCI_GITEA_ORG: ORG,
      CCCI_DRONE_URL: drone.url,
      CCCI_DRONE_TOKEN: DRONE_TOKEN,
      CCCI_DRONE_REPO: DRONE_REPO,
      CCCI_BRIDGE_POLL_SECONDS: '0.3',
      CCCI_BRIDGE_LISTEN: '127.0.0.1:0',
      CCCI_WEBHOOK_SECRET: WEBHOOK_SECRET,
      CCCI_BRIDGE_DB: dbFile,
      CCCI_RECIPE_DIRS: join(work, 'recipes'),
    },
  })
  const started = await waitFor('the bridge to start', () =>
    logLines(proc).find((l) => l.event === 'bridge.started'),
  )
  const bridge = { proc, url: String(started.url) }
  bridges.push(bridge)
  return bridge
}

async function stopBridge(bridge: { proc: StartedCommand }): Promise<void> {
  bridge.proc.kill('SIGTERM')
  const result = await bridge.proc.result
  outputs.push(bridge.proc.output())
  expect(result.exitCode, bridge.proc.output()).toBe(0)
}

/** Polls a bridge has finished, from its health endpoint. */
async function polls(bridge: { url: string }): Promise<number> {
  const health = (await (await fetch(`${bridge.url}/health`)).json()) as { polls: number }
  return health.polls
}

/** Waits until every running bridge has polled twice more: what they would fire, they fired. */
async function settle(): Promise<void> {
  for (const bridge of bridges.filter((b) => b.proc.pid !== undefined)) {
    const now = await polls(bridge)
    const deadline = Date.now() + 60_000
    while ((await polls(bridge)) < now + 2) {
      if (Date.now() > deadline) {
        throw new Error('the bridge stopped polling')
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

function buildsFor(commentBuild: (b: FakeBuild) => boolean = () => true): FakeBuild[] {
  return drone.allBuilds().filter(commentBuild)
}

function botComments(): string[] {
  return gitea.comments.filter((c) => c.user === 'cc-ci-bot').map((c) => c.body)
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ccci-bridge-e2e-'))
  dbFile = join(work, 'state', 'bridge.sqlite')
  source = await buildRecipeRepo(join(REPO_ROOT, 'examples', RECIPE), join(work, 'git', RECIPE))
  gitea = await new GiteaServer(GITEA_TOKEN).start()
  gitea.addRepo(ORG, RECIPE, source.path)
  gitea.addMember(ORG, 'alice')
  gitea.addPull({
    repo: REPO,
    number: PR,
    state: 'open',
    headRef: 'main',
    headSha: source.head,
    author: 'bob',
  })
  drone = await new DroneServer(DRONE_TOKEN, [DRONE_REPO]).start()
  // The recipe enrolled through its config: its source names the repository on the forge.
  mkdirSync(join(work, 'recipes', RECIPE), { recursive: true })
  writeFileSync(join(work, 'recipes', 'package.json'), '{"type":"module"}\n')
  writeFileSync(
    join(work, 'recipes', RECIPE, 'recipe.ts'),
    `export default { source: '${gitea.url}/${REPO}.git', health: { path: '/', status: 200 }, timeouts: { deploy: 120 } }\n`,
  )
})

afterAll(async () => {
  for (const bridge of bridges) {
    bridge.proc.kill('SIGTERM')
    await bridge.proc.result
  }
  await gitea?.close()
  await drone?.close()
  rmSync(work, { recursive: true, force: true })
})

describe('ccci bridge', () => {
  test('a comment that was there before the first poll starts nothing', async () => {
    gitea.addComment(REPO, PR, 'alice', '!testme')
    const bridge = await startBridge()
    await waitFor('the first poll', () =>
      logLines(bridge.proc).find((l) => l.event === 'poll.baseline'),
    )
    await settle()
    expect(buildsFor()).toEqual([])
  })

  test('!testme by an org member starts exactly one build, though poll and webhook deliver it at once', async () => {
    const [bridge] = bridges
    const comment = gitea.addComment(REPO, PR, 'alice', 'looks good\n!testme')
    // Five deliveries of the same webhook race the poller.
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () =>
        gitea.deliverWebhook(`${bridge?.url}/webhook`, comment, WEBHOOK_SECRET),
      ),
    )
    expect(statuses).toEqual([202, 202, 202, 202, 202])
    await waitFor('a build', () => buildsFor().length > 0)
    await settle()
    expect(buildsFor()).toHaveLength(1)
    expect(buildsFor()[0]?.params).toEqual(buildParams())
    await waitFor('the acknowledgement', () => botComments().length > 0)
    expect(botComments()[0]).toContain(`[Drone build #1](${drone.url}/${DRONE_REPO}/1)`)
    expect(gitea.statuses).toEqual([
      expect.objectContaining({
        sha: source.head,
        state: 'pending',
        context: 'cc-ci',
        target_url: `${drone.url}/${DRONE_REPO}/1`,
      }),
    ])
  })

  test("a non-member's comment, !testmexyz and a quoted !testme start nothing", async () => {
    const [bridge] = bridges
    const refused = gitea.addComment(REPO, PR, 'mallory', '!testme')
    expect(await gitea.deliverWebhook(`${bridge?.url}/webhook`, refused, WEBHOOK_SECRET)).toBe(202)
    gitea.addComment(REPO, PR, 'alice', '!testmexyz')
    gitea.addComment(REPO, PR, 'alice', '> !testme\nno')
    await waitFor('the refusal', () =>
      logLines(bridge!.proc).find((l) => l.event === 'trigger.refused'),
    )
    await settle()
    expect(buildsFor()).toHaveLength(1)
  })

  test('a webhook with a bad signature starts nothing; the same one signed does', async () => {
    const [bridge] = bridges
    // Comments the poller never sees: only the webhook brings them.
    const forged = {
      id: 900_001,
      repo: REPO,
      issue: PR,
      body: '!testme --quick',
      user: 'alice',
      created_at: '',
      updated_at: '',
    }
    const url = `${bridge?.url}/webhook`
    expect(await gitea.deliverWebhook(url, forged, WEBHOOK_SECRET, 'ab'.repeat(32))).toBe(401)
    expect(await gitea.deliverWebhook(url, forged, 'another-secret-entirely')).toBe(401)
    expect(await gitea.deliverWebhook(url, forged, WEBHOOK_SECRET, '')).toBe(401)
    const huge = await fetch(url, { method: 'POST', body: 'x'.repeat(300 * 1024) })
    expect(huge.status).toBe(413)
    await settle()
    expect(buildsFor()).toHaveLength(1)
    expect(await gitea.deliverWebhook(url, { ...forged, id: 900_002 }, WEBHOOK_SECRET)).toBe(202)
    await waitFor('the signed webhook to start a build', () => buildsFor().length === 2)
    expect(buildsFor()[1]?.params).toMatchObject({ QUICK: '1' })
    await waitFor('the quick pending status', () =>
      gitea.statuses.find((s) => s.context === 'cc-ci/quick'),
    )
  })

  test('across a restart, with two bridges and the webhook at once, a comment still fires once', async () => {
    await stopBridge(bridges[0] as { proc: StartedCommand })
    bridges.splice(0, 1)
    const comment = gitea.addComment(REPO, PR, 'alice', '!testme')
    const [one, two] = await Promise.all([startBridge(), startBridge()])
    await Promise.all(
      [one, two].flatMap((b) =>
        [1, 2].map(() => gitea.deliverWebhook(`${b.url}/webhook`, comment, WEBHOOK_SECRET)),
      ),
    )
    await waitFor('the build', () => buildsFor().length === 3)
    await settle()
    expect(buildsFor()).toHaveLength(3)
    // The first comment, fired before the restart, did not fire again.
    expect(buildsFor().filter((b) => b.params.QUICK === '0')).toHaveLength(2)
  })

  test('canary: no token and no webhook key in logs, comments, statuses, builds or the store', () => {
    for (const bridge of bridges) {
      outputs.push(bridge.proc.output())
    }
    const everything = [
      ...outputs,
      ...gitea.comments.map((c) => c.body),
      JSON.stringify(gitea.statuses),
      JSON.stringify(drone.allBuilds()),
      ...readdirSync(dirname(dbFile)).map((f) => readFileSync(join(dirname(dbFile), f), 'latin1')),
    ].join('\n')
    expect(everything).toContain('trigger.started')
    for (const canary of CANARIES) {
      expect(everything).not.toContain(canary)
    }
  })
})

describe('the Drone step', () => {
  test('runs the recipe and posts the verdict: the summary comment and the commit status', async () => {
    // The build the bridge started above (or, when this test runs alone, one started the same way).
    const build =
      drone.allBuilds()[0] ??
      (await new DroneClient({ url: drone.url, token: DRONE_TOKEN }).createBuild(
        DRONE_REPO,
        'main',
        buildParams(),
      ))
    const link = `${drone.url}/${DRONE_REPO}/${build.number}`
    const params = build.params ?? {}
    const runs: StepRun[] = await runPipeline(readPipeline(join(REPO_ROOT, '.drone.yml')), {
      workspace: REPO_ROOT,
      params,
      drone: { DRONE_BUILD_LINK: link, DRONE_BUILD_NUMBER: String(build.number), DRONE_REPO },
      secrets: { gitea_url: gitea.url, gitea_token: GITEA_TOKEN },
      hostEnv: {
        ...process.env,
        CCCI_RECIPE_DIRS: join(work, 'recipes'),
        VITEST: undefined,
        VITEST_MODE: undefined,
        VITEST_POOL_ID: undefined,
        VITEST_WORKER_ID: undefined,
        NODE_ENV: undefined,
      },
      timeoutMs: 540_000,
    })
    const log = runs.map((r) => `--- ${r.step} (${r.exitCode})\n${r.output}`).join('\n')
    expect(
      runs.map((r) => [r.step, r.exitCode]),
      log,
    ).toEqual([
      ['run', 0],
      ['verdict', 0],
    ])
    const verdict = gitea.comments.at(-1)
    expect(verdict?.user).toBe('cc-ci-bot')
    expect(verdict?.body).toMatch(
      /^### cc-ci: hello-static @ [0-9a-f]{8}: ✅ passed \(level \d\/5\)/,
    )
    expect(verdict?.body).toContain('`LIFECYCLE install: pass')
    expect(verdict?.body).toContain(`Logs: [the build log](${link})`)
    expect(gitea.statuses.at(-1)).toMatchObject({
      sha: source.head,
      context: 'cc-ci',
      state: 'success',
      target_url: link,
    })
    for (const canary of CANARIES) {
      expect(log).not.toContain(canary)
      expect(verdict?.body).not.toContain(canary)
    }
  })
})
