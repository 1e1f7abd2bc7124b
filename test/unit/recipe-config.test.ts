import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadRecipeConfig } from '../../harness/recipe/load-recipe.ts'
import { resolveExtraEnv } from '../../harness/recipe/recipe-config.ts'
import { siblingDomain } from '../../harness/run/domain.ts'
import { tryCommand } from '../../harness/process/run-command.ts'

const harness = join(process.cwd(), 'harness', 'recipe', 'recipe-config.ts')

function recipeDir(source: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'ccci-recipe-')), 'keycloak')
  mkdirSync(dir)
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n')
  writeFileSync(join(dir, 'recipe.ts'), source)
  return dir
}

async function loadError(source: string): Promise<string> {
  const dir = recipeDir(source)
  return loadRecipeConfig({ name: 'keycloak', dir }).then(
    () => 'loaded',
    (error: Error) => error.message,
  )
}

describe('recipe.ts', () => {
  test('without a recipe.ts every key has its default (zero config)', async () => {
    const config = await loadRecipeConfig({ name: 'keycloak', dir: undefined })
    expect(config).toMatchObject({ skipGeneric: [], expectedNA: {}, health: { path: '/' } })
    expect(config.health.status, 'any status below 400 by default').toBeUndefined()
  })

  test('a valid config with an extraEnv function', async () => {
    const dir = recipeDir(
      `import { defineRecipe } from ${JSON.stringify(harness)}\n` +
        `export default defineRecipe({ skipGeneric: ['upgrade'], expectedNA: { backup: 'no state' },\n` +
        `  extraEnv: ({ sibling }) => ({ AUTH_DOMAIN: sibling('auth') }), health: { path: '/health', status: [200, 204] } })\n`,
    )
    const config = await loadRecipeConfig({ name: 'keycloak', dir })
    const domain = 'keyc-1a2b3c.ccci.localhost'
    expect(
      resolveExtraEnv(config, {
        domain,
        suffix: 'ccci.localhost',
        recipe: 'keycloak',
        sibling: (l) => siblingDomain(domain, l),
      }),
    ).toEqual({
      AUTH_DOMAIN: 'auth-keyc-1a2b3c.ccci.localhost',
    })
    expect(config.health).toEqual({ path: '/health', status: [200, 204] })
  })

  test('an unknown key names the file and the key', async () => {
    const message = await loadError(`export default { skipGenerics: ['upgrade'] }\n`)
    expect(message).toMatch(/keycloak\/recipe\.ts is not a valid recipe config/)
    expect(message).toMatch(/Unrecognized key.*skipGenerics/)
  })

  test('a wrong type names the key path and what was expected', async () => {
    const message = await loadError(
      `export default { timeouts: { upgrade: '10m' }, skipGeneric: ['install', 'deploy'] }\n`,
    )
    expect(message).toMatch(/timeouts\.upgrade: .*expected number/i)
    expect(message).toMatch(/skipGeneric/)
  })

  test('a file that does not load says so', async () => {
    expect(await loadError(`export default {\n`)).toMatch(/recipe\.ts does not load/)
    expect(await loadError(`export const recipe = {}\n`)).toMatch(/has no default export/)
  })
})

test('a recipe.ts loads as an ES module outside a package; a CommonJS package says how to fix it', async () => {
  const make = (packageJson: string | undefined) => {
    const dir = mkdtempSync(join(tmpdir(), 'ccci-scope-recipe-'))
    mkdirSync(join(dir, 'scoped'))
    if (packageJson !== undefined) {
      writeFileSync(join(dir, 'package.json'), packageJson)
    }
    writeFileSync(
      join(dir, 'scoped', 'recipe.ts'),
      `import { defineRecipe } from ${JSON.stringify(join(process.cwd(), 'harness', 'recipe.ts'))}\nexport default defineRecipe({ skipGeneric: ['upgrade'] })\n`,
    )
    return dir
  }
  // Node loads recipe.ts itself in a run and in the CLI (in this test worker, Vite would): a child
  // process shows what a user gets.
  const load = async (dir: string) => {
    const script = `import { loadRecipeConfig } from ${JSON.stringify(join(process.cwd(), 'harness', 'recipe', 'load-recipe.ts'))}
try { console.log(JSON.stringify(await loadRecipeConfig({ name: 'scoped', dir: ${JSON.stringify(join(dir, 'scoped'))} }))) }
catch (e) { console.log(JSON.stringify({ code: e.code, hint: e.hint })) }`
    const result = await tryCommand(process.execPath, ['--input-type=module', '-e', script], {
      timeoutMs: 30_000,
    })
    return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>
  }
  const dirs = [make(undefined), make('{ "type": "commonjs" }\n')]
  const [plain, cjs] = dirs as [string, string]
  try {
    expect(await load(plain)).toMatchObject({ skipGeneric: ['upgrade'] })
    const error = await load(cjs)
    expect(error).toMatchObject({ code: 'CCCI_RECIPE_CONFIG_LOAD' })
    expect(error.hint).toContain('"type": "commonjs"')
  } finally {
    dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }))
  }
}, 60_000)
