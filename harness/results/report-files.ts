import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { GrantedAccess } from '../coop/host-access.ts'
import type { LintResult } from '../driver/app-driver.ts'
import { slowPhaseLine } from '../history/phase-budgets.ts'
import { redact, redactDeep } from '../redaction/redact.ts'
import { firstLine, type TierResult } from './tier-results.ts'
import { xmlText } from './xml-text.ts'
import type { TierPlan } from '../overlays/tier-plan.ts'

export interface CleanupReport {
  ok: boolean
  steps: { step: string; ok: boolean; detail: string }[]
  /** Docker objects or files of the run still present after teardown (must be empty). */
  leftovers: string[]
}

/** `result.json`: everything a run found, for Drone, the bridge and a post-mortem. */
export interface RunResult {
  version: 1
  runId: string
  recipe: string
  domain: string
  driver: string
  source: { src: string; ref: string | undefined; commit: string; pr: string }
  headVersion: string | undefined
  baseVersion: string | undefined
  startedAt: string | undefined
  finishedAt: string
  reason: string
  /** `app new` + first deploy: 1 when the run deployed once, as it must. */
  deployCount: number
  lifecycle: string
  level: number
  ok: boolean
  tiers: TierResult[]
  plan: TierPlan[]
  /** `recipe lint` of the code under test (the abra driver's, or the swarm driver's own checks). */
  lint: (LintResult & { error?: string }) | undefined
  cleanup: CleanupReport | undefined
  /** Host access the recipe's cc-ci config granted its deploys (everything else was refused). */
  hostAccess: GrantedAccess[]
  /** What cc-ci accepted but did not do as the recipe asked (harness/results/run-warnings.ts). */
  warnings: string[]
  /** Set when cc-ci's infrastructure failed the run (a dependency), not the recipe. */
  infra?: string | undefined
  /** cold: a fresh app; quick: a copy of the recipe's warm canonical, upgraded (lower confidence). */
  mode: 'cold' | 'quick'
  /** Whether the run promoted its version to the recipe's warm canonical, and why (not). */
  promotion: Promotion | undefined
  /** The diagnostics bundle's folder, relative to the results folder (harness/diagnostics/); undefined when none was collected. */
  diagnostics?: string | undefined
  /** The bundle's headline: the failing service(s) with the task error. */
  diagnosticsHeadline?: string | undefined
  /** Phases far slower than this recipe's usual (harness/history/phase-budgets.ts); never fails the run. */
  slowPhases?: { phase: string; ms: number; typicalMs: number; budgetMs: number }[] | undefined
}

/** The global teardown's promote step (harness/warm/promote-run.ts). */
export interface Promotion {
  promoted: boolean
  /** Why it did not promote; for a failed promotion, the error (an infra issue). */
  reason: string | undefined
  version: string | undefined
  snapshot: string | undefined
  /** The promotion was attempted and failed: cc-ci's infra, not the recipe. */
  infra: boolean
}

function resultFile(resultsDir: string): string {
  return join(resultsDir, 'result.json')
}

export function readResult(resultsDir: string): RunResult | undefined {
  const file = resultFile(resultsDir)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunResult) : undefined
}

const ICON: Record<string, string> = {
  pass: '✅',
  fail: '❌',
  skip: '⏭️',
  error: '💥',
  'not-run': '➖',
}

/** The PR comment body: verdict, LIFECYCLE line, tier table, failures. Never overstates. */
export function summaryMarkdown(result: RunResult): string {
  const verdict = result.ok
    ? '✅ passed'
    : result.infra !== undefined
      ? "⚠️ infra failure (cc-ci's, not the recipe's)"
      : '❌ failed'
  const lines = [
    `### cc-ci: ${result.recipe} @ ${result.source.commit.slice(0, 8)}: ${verdict} (level ${result.level}/5)`,
    '',
    `\`${result.lifecycle}\``,
    '',
    '| tier | status | passed | failed | skipped | time |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...result.tiers.map(
      (t) =>
        `| ${t.tier} | ${ICON[t.status] ?? ''} ${t.status}${t.reason === undefined || t.status === 'pass' ? '' : ` (${firstLine(t.reason, 80).replaceAll('|', '\\|')})`} | ${t.passed} | ${t.failed} | ${t.skipped} | ${(t.durationMs / 1000).toFixed(1)}s |`,
    ),
  ]
  const slow = result.slowPhases ?? []
  if (slow.length > 0) {
    lines.push('', ...slow.map((s) => `⏱ ${slowPhaseLine(s)}`))
  }
  if (result.infra !== undefined) {
    lines.push(
      '',
      `⚠️ ${firstLine(result.infra, 300)}: the recipe was not tested; re-run once it is fixed`,
    )
  }
  lines.push('', lintLine(result.lint))
  if (result.hostAccess.length > 0) {
    lines.push(
      '',
      `host access granted by recipe.ts: ${result.hostAccess.map((g) => `${g.service} ${g.access} ${g.value} (${g.reason})`).join('; ')}`,
    )
  }
  if (result.mode === 'quick') {
    lines.push(
      '',
      '⚡ quick run: the change was tested on a copy of the warm canonical, upgraded in place; lower confidence than a cold run (backup and restore were not run). A quick run never promotes.',
    )
  }
  const promotion = result.promotion
  if (promotion?.promoted === true) {
    lines.push(
      '',
      `canonical: promoted to ${promotion.version ?? '?'} (snapshot ${promotion.snapshot ?? '?'})`,
    )
  } else if (promotion?.infra === true) {
    lines.push(
      '',
      `⚠️ canonical not promoted (infra issue, not the recipe's): ${promotion.reason ?? ''}`,
    )
  }
  if (result.warnings.length > 0) {
    lines.push('', '**warnings**', '', ...result.warnings.map((w) => `- ${w}`))
  }
  if (result.diagnostics !== undefined) {
    lines.push(
      '',
      `Diagnostics: ${result.diagnostics}/index.md${result.diagnosticsHeadline ? ` — ${firstLine(result.diagnosticsHeadline, 300)}` : ''}`,
    )
  }
  const failures = result.tiers.flatMap((t) =>
    t.tests.filter((c) => c.state === 'failed').map((c) => ({ tier: t.tier, c })),
  )
  if (failures.length > 0) {
    lines.push('', '<details><summary>Failures</summary>', '')
    for (const { tier, c } of failures) {
      lines.push(
        `- **${tier}** \`${c.file}\` ${c.name}`,
        '',
        '  ```',
        ...(c.message ?? '')
          .split('\n')
          .slice(0, 15)
          .map((l) => `  ${l}`),
        '  ```',
      )
    }
    lines.push('', '</details>')
  }
  if (result.cleanup !== undefined && !result.cleanup.ok) {
    lines.push(
      '',
      `⚠️ cleanup incomplete: ${
        result.cleanup.leftovers.join(', ') ||
        result.cleanup.steps
          .filter((s) => !s.ok)
          .map((s) => s.step)
          .join(', ')
      }`,
    )
  }
  lines.push(
    '',
    `deploy count ${result.deployCount} · driver ${result.driver} · base ${result.baseVersion ?? 'head'} · run \`${result.runId}\``,
  )
  return redact(`${lines.join('\n')}\n`)
}

const xml = xmlText

function lintLine(lint: RunResult['lint']): string {
  if (lint === undefined) {
    return 'lint: ➖ not run'
  }
  const failed = lint.rules.filter((r) => r.level === 'error' && !r.satisfied && !r.skipped)
  const warnings = lint.rules.filter((r) => r.level === 'warn' && !r.satisfied && !r.skipped)
  const verdict = lint.ok
    ? '✅ pass'
    : `❌ fail${lint.error === undefined ? '' : `: ${firstLine(lint.error, 120)}`}`
  const details = [
    ...failed.map((r) => `${r.ref} ${r.description}`),
    ...warnings.map((r) => `warn ${r.ref} ${r.description}`),
  ]
  return `lint: ${verdict}${details.length === 0 ? '' : ` (${details.join('; ')})`}`
}

/** JUnit XML for Drone: one suite per tier. */
export function junitXml(result: RunResult): string {
  const suites = result.tiers.map((t) => {
    const cases = t.tests.map((c) => {
      const inner =
        c.state === 'failed'
          ? `<failure message="${xml(firstLine(c.message ?? ''))}">${xml(c.message ?? '')}</failure>`
          : c.state === 'skipped'
            ? `<skipped message="${xml(c.message ?? '')}"/>`
            : ''
      return `    <testcase classname="${xml(`${result.recipe}.${t.tier}`)}" name="${xml(c.name)}" file="${xml(c.file)}" time="${(c.durationMs / 1000).toFixed(3)}">${inner}</testcase>`
    })
    return `  <testsuite name="${xml(`${result.recipe} (${t.tier})`)}" tests="${t.tests.length}" failures="${t.failed}" skipped="${t.skipped}">\n${cases.join('\n')}\n  </testsuite>`
  })
  return redact(
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cc-ci ${xml(result.recipe)}">\n${suites.join('\n')}\n</testsuites>\n`,
  )
}

/** Writes result.json, summary.md and junit.xml (all redacted) into the results folder. */
export function writeResultFiles(resultsDir: string, result: RunResult): void {
  mkdirSync(resultsDir, { recursive: true })
  const safe = redactDeep(result)
  writeFileSync(resultFile(resultsDir), `${JSON.stringify(safe, null, 2)}\n`)
  writeFileSync(join(resultsDir, 'summary.md'), summaryMarkdown(safe))
  writeFileSync(join(resultsDir, 'junit.xml'), junitXml(safe))
}
