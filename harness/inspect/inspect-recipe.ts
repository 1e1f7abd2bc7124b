import { runAppEnv } from '../run/run-app-env.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadSettings, type Settings } from '../config/settings.ts'
import { backupPlan, type BackupServiceInput } from '../coop/backupbot-labels.ts'
import { hostAccessDecision } from '../coop/host-access-check.ts'
import { describeFinding, type HostAccessDecision } from '../coop/host-access.ts'
import { lintRecipe, renderRecipeCheckout } from '../coop/lint.ts'
import { renderApp, type RenderedApp } from '../coop/render-app.ts'
import { planSecrets } from '../coop/secrets.ts'
import { isExternal } from '../docker/index.ts'
import type { AppRef } from '../driver/app-driver.ts'
import { errorFromData } from '../error-data.ts'
import { CcciError, describeError } from '../errors.ts'
import { createLogger } from '../log.ts'
import { describeRejected } from '../overlays/allowlist.ts'
import { showPlannedFile } from '../overlays/tier-plan.ts'
import { confineRoutes } from '../proxy/route-confinement.ts'
import { traefikRoutes, type RouteProblem } from '../proxy/traefik-routes.ts'
import type { RecipeConfig } from '../recipe/recipe-config.ts'
import { redact } from '../redaction/redact.ts'
import { checkoutHead } from '../run/checkout-head.ts'
import { chooseVersions, versionWarnings, type VersionChoice } from '../run/choose-versions.ts'
import { runDomain, stackName } from '../run/domain.ts'
import type { PreparedSource } from '../run/source.ts'
import { SwarmDriver } from '../swarm/swarm-driver.ts'
import { knownRecipes, planRecipe, type RecipePlan } from '../vitest/recipe-projects.ts'
import { InspectionSchema, type Inspection } from './inspection-schema.ts'

/** What to inspect: the recipe and the run inputs that decide its domain and code. */
export interface InspectInput {
  recipe: string
  /** `--src`, validated and resolved (harness/cli/source-flags.ts); default: the recipe's source. */
  src: string | undefined
  ref: string | undefined
  /** The pull request number (part of the domain), or `local`. */
  pr: string
}

/**
 * What a run of `input` would do, without deploying: the source fetched and the tiers planned as
 * `ccci plan` does, the head checked out and its app env created as install's `app new` creates
 * it, but in a temporary folder removed before returning; the compose files rendered client-side
 * (`docker stack config`). Nothing is created in Docker, no secret value is generated. Throws a
 * `CcciError` for what would stop a run before it deploys (source, config, a recipe file, the
 * compose files); what the run records instead (lint, host access, backup labels) is reported.
 */
export async function inspectRecipe(
  input: InspectInput,
  settings: Settings = loadSettings(),
): Promise<Inspection> {
  const entry = knownRecipes().find((e) => e.name === input.recipe) ?? {
    name: input.recipe,
    dir: undefined,
  }
  const plan = await planRecipe(entry, true, { src: input.src, ref: input.ref })
  const source = fetchedSource(plan)
  const domain = runDomain(
    input.recipe,
    input.pr,
    input.ref ?? 'default',
    settings.domainSuffix,
    input.src,
  )
  const scratch = mkdtempSync(join(tmpdir(), 'ccci-inspect-'))
  try {
    const app: AppRef = {
      recipe: input.recipe,
      domain,
      stack: stackName(domain),
      server: settings.server,
      recipeDir: join(scratch, 'recipe'),
      envFile: join(scratch, 'servers', settings.server, `${domain}.env`),
    }
    await checkoutHead(app, source)
    const versions = await chooseVersions(app.recipeDir, source.commit, true)
    // The upgrade (and install, without a release) deploys the head as it is: a chaos `app new`.
    const driver = new SwarmDriver({
      ownerLabels: {},
      log: createLogger('inspect'),
      backupDir: join(scratch, 'backups'),
    })
    await driver.newApp(app, {
      chaos: true,
      env: runAppEnv(plan.config, input.recipe, domain, settings.domainSuffix),
    })
    const rendered = await renderApp(app)
    const inspection: Inspection = {
      schemaVersion: 1,
      recipe: input.recipe,
      configured: entry.dir !== undefined,
      source: { src: source.src, ref: source.ref ?? null, commit: source.commit },
      app: { domain, stack: app.stack, server: app.server },
      versions: versionsOf(versions, source.commit),
      rendered: `the head, ${source.commit.slice(0, 8)}${versions.headVersion === undefined ? '' : ` (${versions.headVersion})`}`,
      compose: { composeFile: rendered.appEnv.COMPOSE_FILE ?? null, files: rendered.files },
      ...servicesAndVolumes(app.stack, rendered),
      secrets: planSecrets(rendered.rendered, rendered.env, rendered.secretTemplates).map((s) => ({
        key: s.key,
        name: s.name,
        version: s.version,
        versionVar: s.envVar ?? null,
        generate: s.generate,
        length: s.length ?? null,
        charset: s.charset,
      })),
      routes: routesOf(app.stack, rendered),
      backup: backupOf(app.stack, rendered),
      lint: await lintOf(app),
      hostAccess: await hostAccessOf(app, rendered, plan.config),
      tiers: tiersOf(plan, settings.root),
      warnings: [],
    }
    inspection.warnings = warningsOf(inspection, plan, versions)
    return InspectionSchema.parse(inspection)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** The fetched source, or the error that kept the plan from fetching it. */
function fetchedSource(plan: RecipePlan): PreparedSource {
  if (plan.configFailure !== undefined) {
    throw errorFromData(plan.configFailure)
  }
  if (plan.sourceFailure !== undefined) {
    throw errorFromData(
      plan.sourceFailure,
      '--src takes a git URL or the path of a git repository, --ref a branch, tag or commit there',
    )
  }
  if (plan.source === undefined) {
    throw new CcciError('CCCI_RECIPE_SOURCE', `the source of ${plan.recipe} was not fetched`)
  }
  return plan.source
}

function versionsOf(versions: VersionChoice, commit: string): Inspection['versions'] {
  const chaos = `chaos ${commit.slice(0, 8)}`
  return {
    head: versions.headVersion ?? null,
    base: versions.baseVersion ?? null,
    install: versions.baseVersion ?? versions.headVersion ?? chaos,
    upgrade: versions.upgradeSkip === undefined ? `${chaos} (the head)` : null,
    upgradeSkip: versions.upgradeSkip ?? null,
    warnings: versionWarnings(versions),
  }
}

/** The Docker volume of a compose volume key: `<stack>_<key>`, unless named or external. */
function volumeName(stack: string, rendered: RenderedApp, key: string): string {
  const entry = rendered.rendered.volumes[key] ?? null
  return entry?.name ?? (isExternal(entry) ? key : `${stack}_${key}`)
}

function namedMounts(service: RenderedApp['rendered']['services'][string]) {
  return (service.volumes ?? []).flatMap((v) =>
    v.type === 'volume' && v.source !== undefined && v.source !== ''
      ? [{ key: v.source, target: v.target }]
      : [],
  )
}

function sortedServices(rendered: RenderedApp) {
  return Object.entries(rendered.rendered.services).sort(([a], [b]) => a.localeCompare(b))
}

function servicesAndVolumes(
  stack: string,
  rendered: RenderedApp,
): Pick<Inspection, 'services' | 'volumes'> {
  return {
    services: sortedServices(rendered).map(([name, service]) => ({
      name,
      image: service.image ?? null,
      volumes: namedMounts(service),
      secrets: (service.secrets ?? []).map((s) => s.source),
    })),
    volumes: Object.entries(rendered.rendered.volumes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, entry]) => ({
        key,
        name: volumeName(stack, rendered, key),
        external: isExternal(entry),
      })),
  }
}

/** The HTTPS routes the local proxy would make of the Traefik labels, confined to the app. */
function routesOf(stack: string, rendered: RenderedApp): Inspection['routes'] {
  const declared = traefikRoutes(
    sortedServices(rendered).map(([name, service]) => ({
      service: `${stack}_${name}`,
      labels: service.deploy?.labels ?? {},
    })),
  )
  const confined = confineRoutes(declared.routes, (service) =>
    service.startsWith(`${stack}_`) ? stack : undefined,
  )
  const short = (service: string) => service.slice(stack.length + 1)
  const problem = (p: RouteProblem) => ({
    service: short(p.service),
    router: p.router ?? null,
    message: p.message,
  })
  return {
    routes: confined.routes.map((r) => ({
      service: short(r.service),
      router: r.router,
      hosts: r.hosts,
      pathPrefixes: r.pathPrefixes,
      port: Number(r.upstream.slice(r.upstream.lastIndexOf(':') + 1)),
      priority: r.priority ?? null,
    })),
    problems: [...declared.problems, ...confined.problems].map(problem),
  }
}

/** The backup plan of the backupbot labels (the Co-op Cloud backup spec), as a backup reads it. */
function backupOf(stack: string, rendered: RenderedApp): Inspection['backup'] {
  const inputs: BackupServiceInput[] = sortedServices(rendered).map(([name, service]) => ({
    name,
    labels: service.deploy?.labels ?? {},
    mounts: namedMounts(service).map((m) => ({
      volume: volumeName(stack, rendered, m.key),
      target: m.target,
    })),
  }))
  try {
    const plan = backupPlan(stack, inputs)
    return {
      error: null,
      services: plan.labelled,
      volumes: plan.volumes,
      hooks: plan.hooks.map(({ service, hooks }) => ({
        service,
        backupPre: hooks.backupPre ?? null,
        backupPost: hooks.backupPost ?? null,
        restorePre: hooks.restorePre ?? null,
        restorePost: hooks.restorePost ?? null,
      })),
      warnings: plan.warnings,
    }
  } catch (error) {
    return { error: describeError(error), services: [], volumes: [], hooks: [], warnings: [] }
  }
}

/** The swarm driver's lint (abra's rules it can check itself), or why the recipe cannot be linted. */
async function lintOf(app: AppRef): Promise<Inspection['lint']> {
  try {
    return { ...(await lintRecipe(app)), error: null }
  } catch (error) {
    return { ok: false, error: redact(describeError(error)), rules: [] }
  }
}

/**
 * The host-access policy as the run applies it before install: on every compose file of the head
 * rendered together; when they do not render together, on the app's own compose files.
 */
async function hostAccessOf(
  app: AppRef,
  rendered: RenderedApp,
  config: RecipeConfig,
): Promise<Inspection['hostAccess']> {
  let checked: 'recipe' | 'app' = 'recipe'
  let note: string | null = null
  let decision: HostAccessDecision
  try {
    decision = hostAccessDecision(app, await renderRecipeCheckout(app), config.hostAccess)
  } catch (error) {
    checked = 'app'
    note = `the compose files of the recipe do not render together, so only the app's were checked: ${describeError(error).split('\n')[0] ?? ''}`
    decision = hostAccessDecision(app, rendered.rendered, config.hostAccess)
  }
  const finding = (f: HostAccessDecision['refused'][number]) => ({
    where: f.where,
    service: f.service ?? null,
    kind: f.kind,
    key: f.key,
    value: f.value,
  })
  return {
    checked,
    note,
    findings: [
      ...decision.granted.map((g) => ({
        ...finding(g.finding),
        granted: true,
        reason: g.grant.reason,
      })),
      ...decision.refused.map((f) => ({
        ...finding(f),
        granted: false,
        reason: describeFinding(f),
      })),
    ],
  }
}

function tiersOf(plan: RecipePlan, root: string): Inspection['tiers'] {
  return plan.tiers.map((tier) => ({
    tier: tier.tier,
    run: tier.files.map((f) => ({ layer: f.layer, file: showPlannedFile(f, tier.tier, root) })),
    skipped: tier.skippedGeneric.map((f) => ({
      layer: f.layer,
      file: showPlannedFile(f, tier.tier, root),
      reason: f.reason,
    })),
    notRun: tier.notRun.map((f) => ({
      layer: f.layer,
      file: showPlannedFile(f, tier.tier, root),
      reason: f.reason,
    })),
  }))
}

/** What a maintainer should look at before pushing: what would stop or weaken the run. */
function warningsOf(inspection: Inspection, plan: RecipePlan, versions: VersionChoice): string[] {
  const warnings: string[] = []
  if (!inspection.configured) {
    warnings.push(
      `${inspection.recipe} has no cc-ci config folder: zero config, the generic suites only`,
    )
  }
  warnings.push(...plan.allowlistRejected.map(describeRejected), ...versionWarnings(versions))
  const lint = inspection.lint
  if (!lint.ok) {
    const failed = lint.rules.filter((r) => r.level === 'error' && !r.satisfied && !r.skipped)
    warnings.push(
      `install would refuse the recipe: lint ${lint.error === null ? `fails ${failed.map((r) => r.ref).join(', ')}` : 'could not read it'}`,
    )
  }
  if (inspection.hostAccess.findings.some((f) => !f.granted)) {
    warnings.push('install would refuse the recipe: it asks for host access nothing grants')
  }
  if (inspection.routes.routes.length === 0) {
    warnings.push('no HTTPS route: the app would not be reachable through the proxy')
  }
  if (inspection.backup.error !== null) {
    warnings.push('the backup tier would fail: the backupbot labels make no plan')
  } else if (inspection.backup.services.length === 0) {
    warnings.push('no service says backupbot.backup=true: backup and restore do not apply')
  }
  return warnings
}
