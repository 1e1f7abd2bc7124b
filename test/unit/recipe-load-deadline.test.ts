import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { loadRecipeConfig } from '../../harness/recipe/load-recipe.ts'

const root = join(import.meta.dirname, '..', '..')
const work = mkdtempSync(join(tmpdir(), 'ccci-recipe-hang-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function recipeDir(name: string, source: string): string {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n')
  writeFileSync(join(dir, 'recipe.ts'), source)
  return dir
}

const HANGS = 'await new Promise(() => {})\nexport default {}\n'

describe('loading recipe.ts has a deadline', () => {
  test('a recipe.ts that never finishes loading is an error naming the file', async () => {
    const dir = recipeDir('hangs', HANGS)
    const started = Date.now()
    await expect(loadRecipeConfig({ name: 'hangs', dir }, 1_000)).rejects.toMatchObject({
      code: 'CCCI_RECIPE_CONFIG_TIMEOUT',
      message: expect.stringContaining(join(dir, 'recipe.ts')) as unknown,
      hint: expect.stringContaining('top-level') as unknown,
    })
    expect(Date.now() - started).toBeLessThan(5_000)
  }, 10_000)

  test('a second load of a recipe.ts that timed out fails at once: every config load in a run does not wait again', async () => {
    const dir = recipeDir('hangs-twice', HANGS)
    await expect(loadRecipeConfig({ name: 'hangs-twice', dir }, 1_000)).rejects.toThrow()
    const started = Date.now()
    await expect(loadRecipeConfig({ name: 'hangs-twice', dir }, 60_000)).rejects.toMatchObject({
      code: 'CCCI_RECIPE_CONFIG_TIMEOUT',
    })
    expect(Date.now() - started).toBeLessThan(1_000)
  }, 10_000)

  test('a recipe.ts that loads is unaffected, and leaves no timer behind', () => {
    const dir = recipeDir('fine', 'export default { skipGeneric: ["upgrade"] }\n')
    const script = `
import { loadRecipeConfig } from ${JSON.stringify(join(root, 'harness/recipe/load-recipe.ts'))}
const config = await loadRecipeConfig({ name: 'fine', dir: ${JSON.stringify(dir)} }, 60_000)
console.log(JSON.stringify(config.skipGeneric))
`
    writeFileSync(join(work, 'load.mts'), script)
    const started = Date.now()
    const child = spawnSync(
      process.execPath,
      ['--import', join(root, 'node_modules/tsx/dist/loader.mjs'), join(work, 'load.mts')],
      { encoding: 'utf8', timeout: 30_000 },
    )
    expect(child.stdout.trim()).toBe('["upgrade"]')
    expect(child.status).toBe(0)
    // The process ended on its own, long before the 60 s deadline.
    expect(Date.now() - started).toBeLessThan(30_000)
  }, 40_000)
})
