import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { z } from 'zod'
import { CCCI_ROOT } from '../config/settings.ts'
import { CcciError, tail } from '../errors.ts'
import { findFiles } from '../files/find-files.ts'
import { tryCommand } from '../process/index.ts'
import { chromiumArgs, type BrowserTarget } from './chromium.ts'
import { requireChromium } from './chromium-path.ts'

/** Files `playwright test` runs: `*.spec.ts` (and .mts/.js/.mjs). Vitest's `*.test.ts` never. */
const SPEC_FILE = /\.spec\.(ts|mts|js|mjs)$/
const SPEC_GLOB = '**/*.spec.{ts,mts,js,mjs}'

/** Playwright spec files under `dir`, recursively, relative to it, sorted; [] if none or no dir. */
export function findSpecFiles(dir: string | undefined): string[] {
  return findFiles(dir, SPEC_FILE)
}

export interface SuiteOptions {
  /** The folder holding the specs: the snapshot of the recipe repo's `tests/`. Never modified. */
  testDir: string
  /** The app (`use.baseURL` and `BASE_URL`) and what Chromium trusts. */
  target: BrowserTarget
  /** Results: `report.json` and Playwright's `test-results/` (traces, screenshots) go here. */
  outputDir: string
  /** Deadline of the whole suite; Playwright stops itself 30 s earlier to write its report. */
  timeoutMs: number
  /** Deadline of one spec test (Playwright's `timeout`), default 60 s. */
  testTimeoutMs?: number
}

export type SpecStatus = 'passed' | 'failed' | 'skipped' | 'flaky'

export interface SpecOutcome {
  /** `<file>:<line> › <describe> › <test>`, file relative to the test folder. */
  name: string
  status: SpecStatus
  errors: string[]
}

export interface SuiteResult {
  /** Playwright's JSON report (may be missing if Playwright could not start). */
  reportFile: string
  exitCode: number
  timedOut: boolean
  specs: SpecOutcome[]
  /** Errors outside any test: config, a spec that does not load, no tests found. */
  errors: string[]
  /** The last lines Playwright printed. */
  output: string
}

const ErrorSchema = z.object({ message: z.string().optional(), stack: z.string().optional() })
interface ReportSuite {
  title: string
  specs?: {
    title: string
    file: string
    line: number
    tests: {
      status: string
      results: { status: string; errors?: z.infer<typeof ErrorSchema>[] }[]
    }[]
  }[]
  suites?: ReportSuite[]
}
const SuiteSchema: z.ZodType<ReportSuite> = z.lazy(() =>
  z.object({
    title: z.string(),
    specs: z
      .array(
        z.object({
          title: z.string(),
          file: z.string(),
          line: z.number(),
          tests: z.array(
            z.object({
              status: z.string(),
              results: z.array(
                z.object({ status: z.string(), errors: z.array(ErrorSchema).optional() }),
              ),
            }),
          ),
        }),
      )
      .optional(),
    suites: z.array(SuiteSchema).optional(),
  }),
)
const ReportSchema = z.object({
  suites: z.array(SuiteSchema).default([]),
  errors: z.array(ErrorSchema).default([]),
})

/**
 * Runs a recipe repo's own Playwright suite with `playwright test` (this repo's
 * `@playwright/test`) against the app, with a generated config: Debian's Chromium with cc-ci's
 * flags (pinned trust, loopback resolution), one worker, no retries, `test.only` forbidden,
 * traces and screenshots of failures, a JSON report in `outputDir`. The specs run from a
 * temporary copy of `testDir` next to a `node_modules` link, so `import { test } from
 * '@playwright/test'` resolves to the runner's own copy wherever the snapshot lives. The
 * environment is clean apart from `BASE_URL`: the CI host's variables never reach recipe code.
 */
export async function runPlaywrightSuite(options: SuiteOptions): Promise<SuiteResult> {
  const chromium = requireChromium()
  const require = createRequire(import.meta.url)
  const cli = require.resolve('@playwright/test/cli')
  const work = mkdtempSync(join(tmpdir(), 'ccci-playwright-'))
  const reportFile = join(options.outputDir, 'report.json')
  try {
    const testDir = join(work, 'tests')
    cpSync(options.testDir, testDir, { recursive: true })
    symlinkSync(join(CCCI_ROOT, 'node_modules'), join(work, 'node_modules'), 'dir')
    mkdirSync(options.outputDir, { recursive: true })
    rmSync(reportFile, { force: true })
    const config = {
      testDir,
      testMatch: SPEC_GLOB,
      outputDir: join(options.outputDir, 'test-results'),
      forbidOnly: true,
      retries: 0,
      workers: 1,
      timeout: options.testTimeoutMs ?? 60_000,
      globalTimeout: Math.max(10_000, options.timeoutMs - 30_000),
      reporter: [['json', { outputFile: reportFile }], ['line']],
      use: {
        baseURL: options.target.baseURL,
        browserName: 'chromium',
        headless: true,
        ignoreHTTPSErrors: false,
        launchOptions: { executablePath: chromium, args: chromiumArgs(options.target) },
        trace: 'retain-on-failure',
        screenshot: 'only-on-failure',
      },
    }
    const configFile = join(work, 'playwright.config.mjs')
    writeFileSync(configFile, `export default ${JSON.stringify(config, null, 2)}\n`)
    const result = await tryCommand(process.execPath, [cli, 'test', '--config', configFile], {
      cwd: work,
      timeoutMs: options.timeoutMs,
      cleanEnv: true,
      env: {
        BASE_URL: options.target.baseURL,
        CI: '1',
        FORCE_COLOR: '0',
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
        PLAYWRIGHT_HTML_OPEN: 'never',
      },
      display: `playwright test (${options.testDir})`,
    })
    // Errors point into the temporary copy; point them at the specs themselves.
    const report = readReport(reportFile, (text) =>
      text.replaceAll(`${testDir}/`, `${options.testDir.replace(/\/$/, '')}/`),
    )
    return {
      reportFile,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      specs: report.specs,
      errors: report.errors,
      output: tail(stripVTControlCharacters(`${result.stdout}\n${result.stderr}`), 40),
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function readReport(
  file: string,
  rewrite: (text: string) => string,
): Pick<SuiteResult, 'specs' | 'errors'> {
  const errorText = (error: z.infer<typeof ErrorSchema>): string =>
    rewrite(stripVTControlCharacters(error.message ?? error.stack ?? 'unknown error').trim())
  if (!existsSync(file)) {
    return { specs: [], errors: [] }
  }
  let parsed: z.infer<typeof ReportSchema>
  try {
    parsed = ReportSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  } catch (error) {
    return { specs: [], errors: [`unreadable Playwright report ${file}: ${String(error)}`] }
  }
  const specs: (SpecOutcome & { file: string; line: number })[] = []
  const visit = (suite: ReportSuite, titles: string[]): void => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        specs.push({
          file: spec.file,
          line: spec.line,
          name: [`${spec.file}:${spec.line}`, ...titles, spec.title].join(' › '),
          status: specStatus(t.status),
          errors: t.results.flatMap((r) => (r.errors ?? []).map(errorText)),
        })
      }
    }
    for (const child of suite.suites ?? []) {
      visit(child, [...titles, child.title])
    }
  }
  // The top-level suites are the files; their title is the file name, already in `name`.
  for (const suite of parsed.suites) {
    visit(suite, [])
  }
  // In source order: the report lists a suite's own tests before its nested suites.
  specs.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
  return {
    specs: specs.map(({ name, status, errors }) => ({ name, status, errors })),
    errors: parsed.errors.map(errorText),
  }
}

function specStatus(status: string): SpecStatus {
  switch (status) {
    case 'expected':
      return 'passed'
    case 'skipped':
      return 'skipped'
    case 'flaky':
      return 'flaky'
    default:
      return 'failed'
  }
}

function indent(text: string, lines = 25): string {
  const all = text.split('\n')
  const kept = all.slice(0, lines)
  if (all.length > lines) {
    kept.push(`… (${all.length - lines} more lines in the report)`)
  }
  return kept.map((l) => `    ${l}`).join('\n')
}

/**
 * The error a failed suite raises: the failing specs' names and errors, errors outside specs,
 * and where the report and traces are; undefined when the suite passed.
 */
export function suiteFailure(result: SuiteResult): CcciError | undefined {
  const failed = result.specs.filter((s) => s.status === 'failed')
  if (result.exitCode === 0 && !result.timedOut && failed.length === 0) {
    return undefined
  }
  const lines = [
    result.timedOut
      ? 'the recipe’s Playwright suite did not finish in time and was killed'
      : `the recipe’s Playwright suite failed: ${failed.length} of ${result.specs.length} tests failed`,
  ]
  for (const spec of failed) {
    lines.push(`  ✘ ${spec.name}`, indent(spec.errors.join('\n\n') || 'no error recorded'))
  }
  for (const error of result.errors) {
    lines.push(`  error outside the tests:`, indent(error))
  }
  if (failed.length === 0 && result.errors.length === 0) {
    lines.push(`  playwright exited ${result.exitCode}:`, indent(result.output, 40))
  }
  lines.push(`report: ${result.reportFile}`)
  return new CcciError('CCCI_PLAYWRIGHT_SUITE', lines.join('\n'), {
    hint: `open the traces with \`npx playwright show-trace <trace.zip>\` (under ${join(result.reportFile, '..', 'test-results')})`,
    evidence: [{ label: 'playwright output (last 40 lines)', text: result.output }],
  })
}
