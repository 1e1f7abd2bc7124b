/**
 * A fake `abra` for this repository's tests (test/fakes/abra/abra launches it). It checks every
 * command line against abra's documented commands and flags (abra-argv.ts) and performs the
 * operation with the swarm driver, so the abra driver's whole path (pseudo-terminal, argv,
 * ABRA_DIR, output parsing) runs end to end without the real abra. Output follows the shapes
 * recorded in test/fixtures/abra. Owner labels come from CCCI_OWNER_LABELS (JSON), which the
 * abra driver always exports.
 *
 * Knobs (environment):
 * - CCCI_FAKE_ABRA_LOG=<file>: append each call (argv, whether it had a terminal) as a JSON line
 * - CCCI_FAKE_ABRA_REQUIRE_TTY=1: fail as the real abra does without a terminal
 * - CCCI_FAKE_ABRA_HANG=<command>: hang on that command (e.g. `app ls`) until killed
 * - CCCI_FAKE_ABRA_LINT_OUTPUT=<file>: `recipe lint` prints this file and exits 0
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppRef } from '../../../harness/driver/app-driver.ts'
import { CcciError } from '../../../harness/errors.ts'
import { isDirty, listTags } from '../../../harness/git/index.ts'
import { latestVersion } from '../../../harness/recipe/versions.ts'
import { lintRecipe } from '../../../harness/coop/lint.ts'
import { SwarmDriver } from '../../../harness/swarm/swarm-driver.ts'
import { parseAbraArgv, UsageError, type AbraCall } from './abra-argv.ts'
import { renderLintOutput, renderTable } from './render-table.ts'
import {
  Fatal,
  out,
  say,
  log,
  abraDir,
  ownerLabels,
  swarm,
  appRef,
  allApps,
  findApp,
  flag,
  has,
  arg,
  record,
} from './fake-apps.ts'
import { backupCreate, backupSnapshots, backupDownload, restore } from './fake-backups.ts'

async function appNew(call: AbraCall): Promise<void> {
  const recipe = arg(call, 0)
  const domain = flag(call, 'domain')
  const server = flag(call, 'server')
  if (typeof domain !== 'string' || typeof server !== 'string') {
    throw new Fatal('no domain or server provided (-D, -s) and --no-input forbids asking')
  }
  const app = appRef(domain, server, recipe)
  if (!existsSync(app.recipeDir)) {
    throw new Fatal(`unable to find recipe ${recipe} in ${join(abraDir(), 'recipes')} (offline)`)
  }
  const chaos = has(call, 'chaos')
  let version = call.args[1]
  if (!chaos) {
    if (await isDirty(app.recipeDir)) {
      throw new Fatal(`${recipe} has locally unstaged changes; use --chaos to keep them`)
    }
    version ??= latestVersion((await listTags(app.recipeDir)).map((t) => t.name))?.raw
  }
  const driver = swarm(app)
  await driver.newApp(app, chaos || version === undefined ? { chaos: true } : { version })
  out(
    renderTable(
      ['SERVER', 'RECIPE', 'VERSION', 'DOMAIN'],
      [[server, recipe, chaos ? 'chaos' : (version ?? 'unknown'), domain]],
    ),
  )
  say('INFO', `${domain} created`)
  if (has(call, 'secrets')) {
    await generate(app, has(call, 'machine'))
  }
}

async function generate(app: AppRef, machine: boolean): Promise<void> {
  const values: string[] = []
  const names = await swarm(app, (v) => values.push(v)).generateSecrets(app)
  const rows = names.map((name, i) => ({
    // abra lists each secret by its key in the compose file: `<stack>_<key>_<version>` -> key.
    name: name.slice(app.stack.length + 1, name.lastIndexOf('_')),
    value: values[i] ?? '',
  }))
  if (machine) {
    out(JSON.stringify(rows))
  } else if (rows.length > 0) {
    out(
      renderTable(
        ['NAME', 'VALUE'],
        rows.map((r) => [r.name, r.value]),
      ),
    )
  }
}

async function secretGenerate(call: AbraCall): Promise<void> {
  if (!has(call, 'all')) {
    throw new Fatal('the fake abra generates with --all only')
  }
  await generate(findApp(arg(call, 0)), has(call, 'machine'))
}

async function secretInsert(call: AbraCall): Promise<void> {
  const app = findApp(arg(call, 0))
  if (!has(call, 'file') || call.args[3] === undefined) {
    // cc-ci's rule, not abra's: a value on the command line is visible to every local user.
    throw new Fatal('refusing a secret value on the command line: cc-ci inserts with -f <file>')
  }
  let value = readFileSync(arg(call, 3), 'utf8')
  if (has(call, 'trim')) {
    value = value.trim()
  }
  await swarm(app).insertSecret(app, arg(call, 1), arg(call, 2), value)
  say('INFO', `${app.stack}_${arg(call, 1)}_${arg(call, 2)} inserted`)
}

async function secretRemove(call: AbraCall): Promise<void> {
  if (!has(call, 'all')) {
    throw new Fatal('the fake abra removes with --all only')
  }
  const app = findApp(arg(call, 0))
  for (const name of await swarm(app).removeSecrets(app)) {
    say('INFO', `removed ${name}`)
  }
}

async function deploy(call: AbraCall): Promise<void> {
  const app = findApp(arg(call, 0))
  const driver = swarm(app)
  const chaos = has(call, 'chaos')
  const version = call.args[1]
  if ((await driver.state(app)).deployed && !has(call, 'force') && !chaos) {
    throw new Fatal(`${app.domain} is already deployed`)
  }
  if (!chaos && (await isDirty(app.recipeDir))) {
    throw new Fatal(`${app.recipe} has locally unstaged changes; use --chaos to deploy them`)
  }
  try {
    const result = await driver.deploy(
      app,
      chaos ? { chaos: true } : version === undefined ? {} : { version },
    )
    say(
      'INFO',
      `${app.domain} deployed: ${result.chaos ? `chaos ${result.chaosVersion ?? ''}` : (result.version ?? '')}`,
    )
  } catch (error) {
    report(error)
    throw new Fatal(`deploy failed: ${firstLine(error)}`)
  }
}

async function undeploy(call: AbraCall): Promise<void> {
  const app = findApp(arg(call, 0))
  const driver = swarm(app)
  if (!(await driver.state(app)).deployed) {
    throw new Fatal(`${app.domain} is not deployed`)
  }
  await driver.undeploy(app)
  say('INFO', `${app.domain} undeployed`)
}

async function volumeRemove(call: AbraCall): Promise<void> {
  const app = findApp(arg(call, 0))
  const driver = swarm(app)
  if ((await driver.state(app)).deployed) {
    throw new Fatal(`${app.domain} is still deployed: undeploy it first`)
  }
  for (const name of await driver.removeVolumes(app)) {
    say('INFO', `volume ${name} removed`)
  }
}

async function appLs(call: AbraCall): Promise<void> {
  const server = flag(call, 'server')
  const recipe = flag(call, 'recipe')
  const apps = allApps().filter(
    (a) =>
      (server === undefined || a.server === server) &&
      (recipe === undefined || a.recipe === recipe),
  )
  const driver = new SwarmDriver({ ownerLabels: ownerLabels(), log, backupDir: abraDir() })
  const grouped: Record<string, { apps: Record<string, string>[] } & Record<string, unknown>> = {}
  for (const app of apps) {
    const state = has(call, 'status') ? await driver.state(app) : undefined
    const entry = {
      server: app.server,
      recipe: app.recipe,
      appName: app.domain,
      domain: app.domain,
      status: state === undefined ? '' : state.deployed ? 'deployed' : 'undeployed',
      chaos: String(state?.chaos ?? false),
      chaosVersion: state?.chaosVersion ?? 'unknown',
      version: state?.version ?? 'unknown',
      upgrade: 'latest',
    }
    const group = (grouped[app.server] ??= { apps: [] })
    group.apps.push(entry)
  }
  for (const group of Object.values(grouped)) {
    group.appCount = group.apps.length
    group.versionCount = group.apps.filter((a) => a.version !== 'unknown').length
    group.unversionedCount = group.apps.filter((a) => a.version === 'unknown').length
    group.latestCount = group.versionCount
    group.upgradeCount = 0
  }
  if (has(call, 'machine')) {
    out(JSON.stringify(grouped))
    return
  }
  out(
    renderTable(
      ['SERVER', 'RECIPE', 'DOMAIN', 'STATUS', 'VERSION'],
      Object.values(grouped).flatMap((g) =>
        g.apps.map((a) => [
          a.server ?? '',
          a.recipe ?? '',
          a.domain ?? '',
          a.status ?? '',
          a.version ?? '',
        ]),
      ),
    ),
  )
}

async function appPs(call: AbraCall): Promise<void> {
  const app = findApp(arg(call, 0))
  const driver = new SwarmDriver({ ownerLabels: ownerLabels(), log, backupDir: abraDir() })
  const state = await driver.state(app)
  if (!state.deployed) {
    throw new Fatal(`${app.domain} is not deployed`)
  }
  const rows = Object.fromEntries(
    (await driver.ps(app)).map((s) => [
      s.service,
      {
        version: state.version ?? 'unknown',
        chaos: state.chaosVersion ?? 'false',
        service: s.service,
        image: s.image,
        created: 'unknown',
        status: s.status,
        state: s.desired > 0 && s.running >= s.desired ? 'running' : 'starting',
        ports: '',
      },
    ]),
  )
  if (has(call, 'machine')) {
    out(JSON.stringify(rows))
    return
  }
  out(
    renderTable(
      ['SERVICE', 'IMAGE', 'STATE', 'STATUS'],
      Object.values(rows).map((r) => [r.service, r.image, r.state, r.status]),
    ),
  )
}

async function appLogs(call: AbraCall): Promise<void> {
  const app = findApp(arg(call, 0))
  const tail = Number(flag(call, 'tail') ?? 50)
  const driver = new SwarmDriver({ ownerLabels: ownerLabels(), log, backupDir: abraDir() })
  process.stdout.write(
    await driver.logs(app, call.args[1] ?? 'app', Number.isInteger(tail) ? tail : 50),
  )
}

async function appRun(call: AbraCall): Promise<number> {
  const app = findApp(arg(call, 0))
  const driver = new SwarmDriver({ ownerLabels: ownerLabels(), log, backupDir: abraDir() })
  const result = await driver.run(app, arg(call, 1), call.args.slice(2))
  process.stdout.write(result.stdout)
  process.stderr.write(result.stderr)
  return result.exitCode
}

async function recipeLint(call: AbraCall): Promise<void> {
  const recipe = arg(call, 0)
  const canned = process.env.CCCI_FAKE_ABRA_LINT_OUTPUT
  if (canned !== undefined) {
    process.stdout.write(readFileSync(canned, 'utf8'))
    return
  }
  const recipeDir = join(abraDir(), 'recipes', recipe)
  if (!existsSync(recipeDir)) {
    throw new Fatal(`unable to find recipe ${recipe}`)
  }
  let result
  try {
    result = await lintRecipe({ recipeDir, stack: `${recipe}_example_com` })
  } catch (error) {
    report(error)
    throw new Fatal(`unable to validate recipe: ${firstLine(error)}`)
  }
  out(renderLintOutput(recipe, result))
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
}

/** The evidence of a cc-ci error, printed before abra's FATA line. */
function report(error: unknown): void {
  if (error instanceof CcciError) {
    for (const evidence of error.evidence) {
      if (evidence.text.trim() !== '') {
        out(evidence.text.trimEnd())
      }
    }
  }
}

async function dispatch(call: AbraCall): Promise<number> {
  switch (call.command) {
    case 'app new':
      await appNew(call)
      return 0
    case 'app secret generate':
      await secretGenerate(call)
      return 0
    case 'app secret insert':
      await secretInsert(call)
      return 0
    case 'app secret remove':
      await secretRemove(call)
      return 0
    case 'app deploy':
      await deploy(call)
      return 0
    case 'app undeploy':
      await undeploy(call)
      return 0
    case 'app volume remove':
      await volumeRemove(call)
      return 0
    case 'app ls':
      await appLs(call)
      return 0
    case 'app ps':
      await appPs(call)
      return 0
    case 'app logs':
      await appLogs(call)
      return 0
    case 'app run':
      return appRun(call)
    case 'app backup create':
      await backupCreate(call)
      return 0
    case 'app backup snapshots':
      return backupSnapshots(call)
    case 'app backup download':
      await backupDownload(call)
      return 0
    case 'app restore':
      await restore(call)
      return 0
    case 'recipe lint':
      await recipeLint(call)
      return 0
    default:
      throw new Fatal(`the fake abra does not implement "${call.command}"`)
  }
}

async function main(argv: readonly string[]): Promise<number> {
  record(argv)
  try {
    if (
      process.env.CCCI_FAKE_ABRA_REQUIRE_TTY === '1' &&
      !(process.stdout.isTTY && process.stdin.isTTY)
    ) {
      throw new Fatal('inappropriate ioctl for device (abra needs a terminal, even with -n)')
    }
    const call = parseAbraArgv(argv)
    if (process.env.CCCI_FAKE_ABRA_HANG === call.command) {
      say('INFO', `${call.command}: hanging as CCCI_FAKE_ABRA_HANG asks`)
      await new Promise(() => setInterval(() => undefined, 60_000))
    }
    return await dispatch(call)
  } catch (error) {
    if (error instanceof UsageError) {
      out(`Error: ${error.message}`)
      say('FATA', error.message)
      return 1
    }
    if (!(error instanceof Fatal)) {
      report(error)
    }
    say('FATA', firstLine(error))
    return 1
  }
}

process.exit(await main(process.argv.slice(2)))
