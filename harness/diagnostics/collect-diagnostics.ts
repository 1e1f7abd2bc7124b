import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { stringify } from 'yaml'
import { readAppEnv } from '../coop/app-env.ts'
import { renderApp } from '../coop/render-app.ts'
import { dockerEvents, serviceLogs, STACK_NAMESPACE_LABEL } from '../docker/index.ts'
import type { AppRef } from '../driver/app-driver.ts'
import { describeError } from '../errors.ts'
import { tryReadState } from '../run/state.ts'
import { browserArtifacts } from './browser-artifacts.ts'
import {
  DIAGNOSTICS_DIR,
  INDEX_FILE,
  SERVICES_FILE,
  type ServicesFile,
} from './diagnostics-files.ts'
import { secretEnvValues } from '../redaction/secret-keys.ts'
import { bundleRedactor, formatRedactedEnv, redactTree } from './env-redaction.ts'
import { judgeServices, headline, type ServiceVerdict } from './failing-services.ts'
import { formatEvents } from './format-events.ts'
import { formatIndex, type BundleIndex } from './format-index.ts'
import { DEFAULT_LIMITS, fitToBudget, type BundleFile, type SizeLimits } from './size-budget.ts'
import { stackServiceRecords } from './stack-services.ts'

export interface CollectInput {
  app: AppRef
  runId: string
  runDir: string
  resultsDir: string
  why: 'failed' | 'always'
  /** Log lines kept per service (default 200). */
  logLines?: number
  limits?: SizeLimits
  /** Events read at most. */
  eventLimit?: number
}

/** Room kept for index.md within the total cap. */
const INDEX_RESERVE = 64 * 1024

/**
 * Collects the diagnostics bundle into `<resultsDir>/diagnostics/` before the teardown removes
 * the app: services and tasks, each service's last log lines, the rendered compose, the app env,
 * the run's Docker events, links to kept browser artifacts; every file redacted and the whole
 * bundle within the size cap. Each piece is collected on its own: one that fails is named with
 * its error in index.md and the others are kept. Returns the index path, relative to resultsDir,
 * with the headline.
 */
export async function collectDiagnostics(input: CollectInput): Promise<string> {
  const { app, resultsDir } = input
  const limits = input.limits ?? DEFAULT_LIMITS
  const dir = join(resultsDir, DIAGNOSTICS_DIR)
  const errors: BundleIndex['errors'] = []
  const attempt = async <T>(piece: string, fn: () => Promise<T> | T): Promise<T | undefined> => {
    try {
      return await fn()
    } catch (error) {
      errors.push({ piece, error: describeError(error) })
      return undefined
    }
  }
  const state = tryReadState(input.runDir)
  const appEnv = await attempt('app env', () => readAppEnv(app).values)
  const clean = bundleRedactor(secretEnvValues(appEnv ?? {}))
  const records = await attempt('services', () => stackServiceRecords(app.stack))
  const services: ServiceVerdict[] = judgeServices(records ?? [])
  const logs: { service: ServiceVerdict; file: BundleFile }[] = []
  for (const service of services) {
    const text = await attempt(`logs of ${service.service}`, () =>
      serviceLogs(service.name, input.logLines ?? 200),
    )
    if (text !== undefined) {
      logs.push({
        service,
        file: { path: `logs/${service.service}.log`, content: clean(text), keep: 'tail' },
      })
    }
  }
  const compose = await attempt('rendered compose', async () =>
    stringify(redactTree((await renderApp(app)).rendered, clean)),
  )
  const since = state?.createdAt === undefined ? undefined : new Date(state.createdAt)
  const events = await attempt('docker events', async () => {
    const window = { since: since ?? new Date(Date.now() - 3_600_000), until: new Date() }
    const limit = input.eventLimit ?? 5000
    const [stacked, serviceEvents] = await Promise.all([
      dockerEvents({
        ...window,
        limit,
        filters: { label: [`${STACK_NAMESPACE_LABEL}=${app.stack}`] },
      }),
      services.length === 0
        ? Promise.resolve([])
        : dockerEvents({
            ...window,
            limit,
            filters: { type: ['service'], service: services.map((s) => s.name) },
          }),
    ])
    return formatEvents([...stacked, ...serviceEvents])
  })
  const headlineText = clean(
    records === undefined ? 'the services of the run could not be listed' : headline(services),
  )
  const servicesFile: ServicesFile = { headline: headlineText, stack: app.stack, services }
  const files: BundleFile[] = [
    {
      path: SERVICES_FILE,
      content: `${JSON.stringify(redactTree(servicesFile, clean), null, 2)}\n`,
      keep: 'head',
    },
    ...(appEnv === undefined
      ? []
      : [{ path: 'app.env', content: formatRedactedEnv(appEnv, clean), keep: 'head' as const }]),
    ...logs.filter((l) => l.service.failing).map((l) => l.file),
    ...(compose === undefined
      ? []
      : [{ path: 'compose.yml', content: clean(compose), keep: 'head' as const }]),
    ...(events === undefined
      ? []
      : [{ path: 'events.txt', content: clean(events), keep: 'tail' as const }]),
    ...logs.filter((l) => !l.service.failing).map((l) => l.file),
  ]
  const fitted = fitToBudget(files, { ...limits, totalBytes: limits.totalBytes - INDEX_RESERVE })
  mkdirSync(dir, { recursive: true })
  for (const file of fitted.filter((f) => !f.omitted)) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true })
    writeFileSync(join(dir, file.path), file.content)
  }
  const index: BundleIndex = {
    recipe: app.recipe,
    runId: input.runId,
    stack: app.stack,
    collectedAt: new Date().toISOString(),
    why: input.why,
    failedTiers: (state?.failedTiers ?? []).map((tier) => ({
      tier,
      error: state?.ops[tier]?.error,
    })),
    services,
    logFiles: Object.fromEntries(
      logs
        .filter((l) => fitted.some((f) => f.path === l.file.path && !f.omitted))
        .map((l) => [l.service.service, l.file.path]),
    ),
    files: fitted.map((f) => ({ path: f.path, note: f.note, omitted: f.omitted })),
    browserArtifacts: browserArtifacts(resultsDir),
    errors,
  }
  const text = clean(formatIndex(redactTree(index, clean) as BundleIndex))
  writeFileSync(join(dir, INDEX_FILE), Buffer.from(text, 'utf8').subarray(0, INDEX_RESERVE))
  return `${DIAGNOSTICS_DIR}/${INDEX_FILE}: ${headlineText}`
}
