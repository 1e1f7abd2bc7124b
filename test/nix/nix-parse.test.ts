import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { nixInstantiate, requireNixInstantiate, ROOT } from './support/nix-eval.ts'

/** Every .nix file of the repository (the vendored Nix library included), dependencies aside. */
function nixFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) {
      return []
    }
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      return nixFiles(path)
    }
    return entry.name.endsWith('.nix') ? [relative(ROOT, path)] : []
  })
}

beforeAll(requireNixInstantiate)

describe('every .nix file parses (nix-instantiate --parse)', () => {
  const files = nixFiles(ROOT)

  test('the module, the example host and the test stand-ins are among them', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'nix/modules/cc-ci.nix',
        'nix/hosts/example.nix',
        'nix/test/eval.nix',
        'nix/test/nixos-stubs.nix',
      ]),
    )
  })

  test.each(files)('%s', async (file) => {
    const result = await nixInstantiate(['--parse', file])
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
  })

  test('a file that does not parse is reported', async () => {
    const result = await nixInstantiate(['--parse', '-E', '{ services.cc-ci.enable = true '])
    expect(result.exitCode).not.toBe(0)
    expect(result.stderr).toContain('syntax error')
  })
})
