import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

interface Manifest {
  engines?: { node?: string }
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

const readManifest = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest

type Version = [number, number, number]

/** One comparator set of a range: `^X.Y.Z`, `>=X.Y.Z` (also `>= X.Y`), as npm packages write them. */
function satisfies(range: string, v: Version): boolean {
  return range.split('||').some((term) => {
    const m = /^\s*(\^|>=)\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(term)
    if (m === null) {
      throw new Error(`range term "${term}" of "${range}" is not understood by this test`)
    }
    const w: Version = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)]
    const atLeast = compare(v, w) >= 0
    return atLeast && (m[1] === '>=' || v[0] === w[0])
  })
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

/** Every version where some range changes its answer, and its neighbours. */
function interestingVersions(ranges: string[]): Version[] {
  const found = new Map<string, Version>()
  const add = (v: Version): void => {
    if (v.every((n) => n >= 0)) {
      found.set(v.join('.'), v)
    }
  }
  for (const range of ranges) {
    for (const [, a, b, c] of range.matchAll(/(\d+)(?:\.(\d+))?(?:\.(\d+))?/g)) {
      const v: Version = [Number(a), Number(b ?? 0), Number(c ?? 0)]
      add(v)
      add([v[0], v[1], v[2] + 1])
      add(v[2] > 0 ? [v[0], v[1], v[2] - 1] : v[1] > 0 ? [v[0], v[1] - 1, 99] : [v[0] - 1, 99, 99])
      add([v[0] + 1, 0, 0])
      add([v[0] - 1, 99, 99])
    }
  }
  for (let major = 18; major <= 30; major++) {
    add([major, 0, 0])
    add([major, 99, 99])
  }
  return [...found.values()].sort(compare)
}

const own = readManifest(join(root, 'package.json'))
const declared = own.engines?.node ?? ''
const direct = Object.keys({ ...own.dependencies, ...own.devDependencies })
const dependencyRanges = direct
  .map((name) => ({
    name,
    range: readManifest(join(root, 'node_modules', name, 'package.json')).engines?.node,
  }))
  .filter((d): d is { name: string; range: string } => d.range !== undefined)
const versions = interestingVersions([declared, ...dependencyRanges.map((d) => d.range)])

describe('the supported Node versions', () => {
  test('package.json declares a range, and the dependencies declare theirs', () => {
    expect(declared).not.toBe('')
    expect(dependencyRanges.map((d) => d.name)).toEqual(
      expect.arrayContaining(['undici', 'vitest', 'eslint', 'execa']),
    )
  })

  test("the declared range is within every direct dependency's engines.node", () => {
    const outside = versions.flatMap((v) =>
      satisfies(declared, v)
        ? dependencyRanges
            .filter((d) => !satisfies(d.range, v))
            .map((d) => `${v.join('.')} (${d.name} needs ${d.range})`)
        : [],
    )
    expect(outside).toEqual([])
  })

  test('the declared range is the whole intersection: nothing all dependencies accept is refused', () => {
    const refused = versions.filter(
      (v) =>
        v[0] >= 18 &&
        !satisfies(declared, v) &&
        dependencyRanges.every((d) => satisfies(d.range, v)),
    )
    expect(refused.map((v) => v.join('.'))).toEqual([])
  })

  test('the Node that runs these tests is one the range accepts', () => {
    const v = process.versions.node.split('.').map(Number) as Version
    expect(satisfies(declared, v)).toBe(true)
  })

  describe("./ccci's Node check", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccci-node-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))
    // A `node` that reports the version in FAKE_NODE_VERSION.
    const preload = join(dir, 'fake-version.cjs')
    writeFileSync(
      preload,
      'Object.defineProperty(process, "versions", { value: { ...process.versions, node: process.env.FAKE_NODE_VERSION } })\n',
    )
    const fakeNode = join(dir, 'node')
    writeFileSync(fakeNode, `#!/bin/sh\nexec '${process.execPath}' --require '${preload}' "$@"\n`)
    chmodSync(fakeNode, 0o755)
    // node_ok and what it needs, taken from the wrapper itself.
    const wrapper = readFileSync(join(root, 'ccci'), 'utf8')
    const start = wrapper.indexOf('node_range=')
    const end = wrapper.indexOf('\n}\n', wrapper.indexOf('node_ok() {')) + 3
    const definitions = wrapper.slice(start, end)

    test('is taken from the wrapper', () => {
      expect(start).toBeGreaterThan(0)
      expect(definitions).toContain('node_ok() {')
    })

    test('accepts exactly the versions package.json engines.node accepts', () => {
      // The declared range's boundaries and their neighbours, and the old floor (22.12).
      const probes = [
        ...interestingVersions([declared]),
        ...(['20.19.0', '22.12.0', '22.18.0', '25.0.0'].map((v) =>
          v.split('.').map(Number),
        ) as Version[]),
      ]
      const script = `die() { echo "die: $*"; exit 3; }\nhere='${root}'\n${definitions}\nfor v in ${probes
        .map((v) => v.join('.'))
        .join(
          ' ',
        )}; do if FAKE_NODE_VERSION=$v node_ok '${fakeNode}'; then echo "$v yes"; else echo "$v no"; fi; done\n`
      const out = execFileSync('bash', ['-c', script], { encoding: 'utf8' })
      const answers: Record<string, string> = Object.fromEntries(
        out
          .trim()
          .split('\n')
          .map((l) => l.split(' ') as [string, string]),
      )
      const expected = Object.fromEntries(
        probes.map((v) => [v.join('.'), satisfies(declared, v) ? 'yes' : 'no']),
      )
      expect(answers).toEqual(expected)
      expect(answers['22.18.0']).toBe('no')
      expect(answers['22.19.0']).toBe('yes')
      expect(answers['23.0.0']).toBe('no')
      expect(answers['24.0.0']).toBe('yes')
    }, 60_000)

    test('the fake node really reports the version it is given', () => {
      const out = spawnSync(fakeNode, ['-p', 'process.versions.node'], {
        env: { ...process.env, FAKE_NODE_VERSION: '23.4.5' },
        encoding: 'utf8',
      })
      expect(out.stdout.trim()).toBe('23.4.5')
    })
  })
})
