import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { appendHistory } from '../../harness/history/history-store.ts'
import { REDACTED, registerSecret } from '../../harness/redaction/redact.ts'
import { escapeHtml, hrefOf } from '../../harness/report/escape-html.ts'
import { levelBadge, levelColour } from '../../harness/report/level-badge.ts'
import { readRunFiles } from '../../harness/report/read-run-files.ts'
import { formatDuration, runChart } from '../../harness/report/run-chart.ts'
import type { RunFiles } from '../../harness/report/run-files.ts'
import { siteFiles } from '../../harness/report/site-files.ts'
import { siteRefresher } from '../../harness/report/site-refresher.ts'
import { writeSite } from '../../harness/report/write-site.ts'
import { historyRecord } from '../support/history-records.ts'

const work = mkdtempSync(join(tmpdir(), 'ccci-site-unit-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const XSS = '<script>alert("x")</script>'
const GENERATED = '2026-11-30T12:00:00.000Z'

const passing = historyRecord()
const failing = historyRecord({
  runId: 'tiny-html-bbbb-0002',
  finishedAt: '2026-11-02T10:02:00.000Z',
  ok: false,
  level: 1,
  lifecycle:
    'LIFECYCLE install: pass | upgrade: fail | backup: skip | restore: skip | custom: pass',
  tiers: [
    { tier: 'install', status: 'pass' },
    { tier: 'upgrade', status: 'fail' },
    { tier: 'backup', status: 'skip' },
  ],
  phases: { total: 90_000, upgrade: 40_000 },
  slowPhases: [{ phase: 'upgrade', ms: 40_000, typicalMs: 8_000, budgetMs: 24_000 }],
  diagnostics: 'diagnostics',
})

function filesOf(diagnostics: { path: string; text: string | undefined }[]): RunFiles {
  return {
    present: true,
    files: [{ path: 'summary.md', bytes: 10, text: '### cc-ci summary', truncated: false }],
    diagnostics: diagnostics.map((d) => ({ ...d, bytes: 10, truncated: false })),
    omitted: 0,
  }
}

/** Opening tags of an HTML page, in order. */
const tags = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'g'))].map((m) => m[0])

function expectAccessible(path: string, html: string): void {
  expect(html.startsWith('<!doctype html>\n<html lang="en">'), path).toBe(true)
  const headings = [...html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]))
  expect(headings[0], `${path}: starts with h1`).toBe(1)
  expect(
    headings.filter((h) => h === 1),
    `${path}: one h1`,
  ).toHaveLength(1)
  headings.forEach((h, i) => {
    expect(h - (headings[i - 1] ?? 0), `${path}: no heading level skipped`).toBeLessThanOrEqual(1)
  })
  for (const th of tags(html, 'th')) {
    expect(th, `${path}: every th has a scope`).toMatch(/scope="(col|row)"/)
  }
  for (const img of tags(html, 'img')) {
    expect(img, `${path}: every img has alt text`).toMatch(/alt="[^"]+"/)
  }
  for (const svg of tags(html, 'svg')) {
    expect(svg, `${path}: every svg is a labelled image`).toMatch(/role="img"/)
  }
  expect(html, `${path}: no JavaScript`).not.toMatch(/<script|javascript:|\son[a-z]+=/i)
}

describe('escaping', () => {
  test('HTML special characters, terminal colours and control characters', () => {
    expect(escapeHtml(`${XSS} & 'q'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;',
    )
    expect(escapeHtml('\u001b[31mred\u001b[0m\u0007 ok')).toBe('red ok')
    expect(escapeHtml(undefined)).toBe('')
    expect(hrefOf('..', 'runs', 'a b?#', 'index.html')).toBe('../runs/a%20b%3F%23/index.html')
  })

  test('a ref, a lifecycle, a person, a summary and a diagnostics file holding HTML stay text', () => {
    const hostile = historyRecord({
      ref: XSS,
      triggeredBy: `"><img src=x onerror=alert(1)>`,
      lifecycle: `LIFECYCLE install: ${XSS}`,
      diagnostics: 'diagnostics',
    })
    const site = siteFiles({
      runs: [hostile],
      files: new Map([
        [
          hostile.runId,
          {
            ...filesOf([{ path: 'logs/app.log', text: `${XSS}\n</pre><h1>x</h1>` }]),
            files: [{ path: 'summary.md', bytes: 1, text: XSS, truncated: false }],
          },
        ],
      ]),
      generatedAt: GENERATED,
    })
    const pages = [...site].filter(([path]) => path.endsWith('.html') || path.endsWith('.svg'))
    expect(pages.length).toBeGreaterThan(4)
    for (const [path, content] of pages) {
      expect(content, path).not.toContain('<script')
      expect(content, path).not.toContain('<img src=x')
      expect(content, path).not.toContain('</pre><h1>')
    }
    expect(site.get(`runs/${hostile.runId}/diagnostics/logs/app.log.html`)).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;',
    )
  })
})

describe('badge', () => {
  test('shields-style "cc-ci | level N/5" with a title and an aria-label', () => {
    const svg = levelBadge(4)
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* role="img"/)
    expect(svg).toContain('aria-label="cc-ci: level 4/5"')
    expect(svg).toContain('<title>cc-ci: level 4/5</title>')
    expect(svg).toContain('>level 4/5</text>')
    expect(svg).toContain(`fill="${levelColour(4)}"`)
    expect(levelBadge(undefined)).toContain('no runs')
  })

  test('a colour per level, each with 4.5:1 contrast or more for white text', () => {
    const colours = [undefined, 0, 1, 2, 3, 4, 5].map(levelColour)
    expect(new Set(colours).size).toBe(colours.length)
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => {
        const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
      })
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)
    }
    for (const colour of [...colours, '#444444']) {
      expect(1.05 / (luminance(colour) + 0.05), colour).toBeGreaterThanOrEqual(4.5)
    }
  })
})

describe('chart', () => {
  test('one bar per run, oldest first, a level line, and a description in words', () => {
    const svg = runChart('tiny-html', [failing, passing])
    expect(svg).toMatch(/role="img" aria-labelledby="chart-tiny-html-title chart-tiny-html-desc"/)
    expect(svg).toContain('<title id="chart-tiny-html-title">')
    expect(svg).toContain('2 run(s) from 2026-11-01T10:01:00.000Z to 2026-11-02T10:02:00.000Z')
    const bars = [...svg.matchAll(/<rect class="bar"[^>]*height="([\d.]+)" fill="([^"]+)"/g)]
    expect(bars.map((b) => b[2])).toEqual(['#90a4ae', '#e57373'])
    // The failing run took longer (90 s against 60 s): its bar is the taller one.
    expect(Number(bars[1]?.[1])).toBeGreaterThan(Number(bars[0]?.[1]))
    const points = /<polyline class="level" points="([^"]+)"/.exec(svg)?.[1]?.split(' ') ?? []
    expect(points).toHaveLength(2)
    // Level 5 then level 1: the line goes down (SVG y grows downwards).
    const ys = points.map((p) => Number(p.split(',')[1]))
    expect(ys[1]).toBeGreaterThan(ys[0] ?? Infinity)
    expect(runChart('x', [])).toContain('No runs yet.')
    expect(formatDuration(90_000)).toBe('1 min 30 s')
    expect(formatDuration(1_500)).toBe('1.5 s')
  })
})

describe('pages', () => {
  const site = siteFiles({
    runs: [
      passing,
      failing,
      historyRecord({ recipe: 'other', runId: 'other-cccc-0003', level: 3 }),
    ],
    files: new Map([
      [failing.runId, filesOf([{ path: 'index.md', text: '# diagnostics\nservice app failed' }])],
    ]),
    generatedAt: GENERATED,
  })

  test('the site has an index, a page and a badge per recipe, a page per run, the diagnostics', () => {
    expect([...site.keys()].sort()).toEqual([
      'badges/other.svg',
      'badges/tiny-html.svg',
      'index.html',
      'recipes/other/index.html',
      'recipes/tiny-html/index.html',
      'runs/other-cccc-0003/index.html',
      `runs/${passing.runId}/index.html`,
      `runs/${failing.runId}/diagnostics/index.html`,
      `runs/${failing.runId}/diagnostics/index.md.html`,
      `runs/${failing.runId}/index.html`,
      `runs/${failing.runId}/summary.md`,
      `runs/${failing.runId}/summary.md.html`,
    ])
    for (const [path, html] of [...site].filter(([p]) => p.endsWith('.html'))) {
      expectAccessible(path, html)
    }
  })

  test('the index: each recipe with its current level, badge, last run and result', () => {
    const index = site.get('index.html') ?? ''
    expect(index).toContain('<a href="recipes/tiny-html/index.html">tiny-html</a>')
    expect(index).toContain('<img src="badges/tiny-html.svg" alt="cc-ci: level 1/5"')
    expect(index).toContain('<span class="fail">failed</span>')
    expect(index).toContain('<img src="badges/other.svg" alt="cc-ci: level 3/5"')
    expect(site.get('badges/tiny-html.svg')).toContain('level 1/5')
  })

  test('a recipe page: runs newest first with lifecycle, ref, trigger, who, tiers, slow phases, links', () => {
    const page = site.get('recipes/tiny-html/index.html') ?? ''
    expect(page).toContain('<svg class="chart"')
    const table = page.slice(page.indexOf('<h2>Runs</h2>'))
    expect(table.indexOf(failing.finishedAt)).toBeLessThan(table.indexOf(passing.finishedAt))
    expect(page).toContain(`<code>${failing.lifecycle}</code>`)
    expect(page).toContain('<code>main</code><br><code>0123456789ab</code><br>PR #42')
    expect(page).toContain('<td>alice</td>')
    expect(page).toContain('upgrade <span class="fail" aria-hidden="true">✗</span>')
    expect(page).toContain('upgrade 40.0 s (usually 8.0 s)')
    expect(page).toContain(
      `<a href="../../runs/${failing.runId}/diagnostics/index.html">diagnostics</a>`,
    )
    expect(page).toContain(`<a href="../../runs/${failing.runId}/summary.md.html">summary</a>`)
    expect(page).toContain('https://ci.example.org/badges/tiny-html.svg')
  })

  test('a diagnostics page shows the bundle index and links each file', () => {
    const page = site.get(`runs/${failing.runId}/diagnostics/index.html`) ?? ''
    expect(page).toContain('service app failed')
    expect(page).toContain('<a href="index.md.html">index.md</a>')
    expect(page).toContain(`<a href="../../../recipes/tiny-html/index.html">tiny-html</a>`)
  })

  test('a run or recipe whose name is not a plain path segment is left out', () => {
    const bad = siteFiles({
      runs: [historyRecord({ runId: '../../escape' }), historyRecord({ runId: '.hidden' })],
      files: new Map(),
      generatedAt: GENERATED,
    })
    expect([...bad.keys()]).toEqual(['index.html'])
  })
})

describe('secrets', () => {
  test('a canary in a record, a summary and a diagnostics file reaches no page', () => {
    const canary = 'canary-7f3a9c2e"&<b>'
    registerSecret(canary)
    const record = historyRecord({
      ref: `feature-${canary}`,
      triggeredBy: canary,
      lifecycle: `LIFECYCLE install: fail (${canary})`,
      diagnostics: 'diagnostics',
    })
    const dir = join(work, 'canary-results')
    mkdirSync(join(dir, 'diagnostics'), { recursive: true })
    writeFileSync(join(dir, 'summary.md'), `token: ${canary}\n`)
    writeFileSync(join(dir, 'result.json'), JSON.stringify({ token: canary }))
    writeFileSync(join(dir, 'diagnostics', 'app.env'), `SECRET=${canary}\n`)
    writeFileSync(join(dir, 'diagnostics', 'tasks.json'), JSON.stringify([{ err: canary }]))
    const runs = [{ ...record, resultsDir: dir }]
    const out = join(work, 'canary-site')
    writeSite(runs, out, { now: new Date(GENERATED) })
    const written = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) =>
      e.isFile(),
    )
    expect(written.length).toBeGreaterThan(5)
    let redacted = 0
    for (const entry of written) {
      const text = readFileSync(join(entry.parentPath, entry.name), 'utf8')
      for (const form of [canary, escapeHtmlRaw(canary), JSON.stringify(canary).slice(1, -1)]) {
        expect(text, join(entry.parentPath, entry.name)).not.toContain(form)
      }
      expect(text).not.toContain('canary-7f3a9c2e')
      redacted += text.includes(REDACTED) ? 1 : 0
    }
    expect(redacted, 'pages show where a secret was').toBeGreaterThan(3)
  })
})

/** HTML-escaped without redaction: the form a page would hold if it escaped before redacting. */
function escapeHtmlRaw(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`).replaceAll('&#38;', '&amp;')
}

describe('reading and writing', () => {
  test('large files show their end, binary files are listed and not published, bounds hold', () => {
    const dir = join(work, 'bounded')
    mkdirSync(join(dir, 'diag', 'logs'), { recursive: true })
    writeFileSync(join(dir, 'summary.md'), 'ok\n')
    writeFileSync(
      join(dir, 'diag', 'logs', 'big.log'),
      Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n'),
    )
    writeFileSync(join(dir, 'diag', 'shot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]))
    writeFileSync(join(dir, 'diag', 'nul.txt'), Buffer.from('a\0b'))
    writeFileSync(join(dir, 'diag', 'z1.txt'), 'x'.repeat(100))
    writeFileSync(join(dir, 'diag', 'z2.txt'), 'y'.repeat(100))
    const found = readRunFiles(
      { resultsDir: dir, diagnostics: 'diag' },
      { fileBytes: 1000, runBytes: 1150, files: 10 },
    )
    expect(found.files.map((f) => f.path)).toEqual(['summary.md'])
    const big = found.diagnostics.find((f) => f.path === 'logs/big.log')
    expect(big?.truncated).toBe(true)
    expect(big?.text?.endsWith('line 1999')).toBe(true)
    expect(big?.text?.startsWith('line ')).toBe(true)
    expect(big?.text?.length).toBeLessThanOrEqual(1000)
    expect(found.diagnostics.find((f) => f.path === 'shot.png')?.text).toBeUndefined()
    expect(found.diagnostics.find((f) => f.path === 'nul.txt')?.text).toBeUndefined()
    // 1000 bytes of big.log and 100 of z1.txt fit in 1150; z2.txt does not.
    expect(found.diagnostics.map((f) => f.path)).toContain('z1.txt')
    expect(found.omitted).toBe(1)
    expect(readRunFiles({ resultsDir: dir, diagnostics: '../bounded' }).diagnostics).toEqual([])
    expect(readRunFiles({ resultsDir: join(work, 'gone'), diagnostics: null }).present).toBe(false)
  })

  test('the site is replaced as a whole, with no temporary folder left', () => {
    const out = join(work, 'atomic', 'site')
    writeSite([passing, failing], out)
    expect(readdirSync(join(out, 'runs')).sort()).toEqual([passing.runId, failing.runId].sort())
    writeSite([passing], out)
    expect(readdirSync(join(out, 'runs'))).toEqual([passing.runId])
    expect(readdirSync(join(work, 'atomic'))).toEqual(['site'])
  })

  test('the bridge rebuilds the site only when the history changed', () => {
    const home = join(work, 'home')
    const out = join(home, 'site')
    const refresher = siteRefresher(home, out, () => undefined)
    expect(refresher.refresh()).toBe(true)
    expect(refresher.refresh()).toBe(false)
    appendHistory(home, passing)
    expect(refresher.refresh()).toBe(true)
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('tiny-html')
    expect(refresher.refresh()).toBe(false)
  })
})
