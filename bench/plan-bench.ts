import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadSettings } from '../harness/config/settings.ts'
import { CcciError } from '../harness/errors.ts'
import { runCommand } from '../harness/process/index.ts'
import { discoverRecipes } from '../harness/recipe/load-recipe.ts'
import { planRecipe } from '../harness/vitest/recipe-projects.ts'

export interface PlanSample {
  /** `./ccci plan <one> --no-fetch` with the generated recipes configured: the whole command. */
  ccciPlanMs: number
  /** `planRecipe` (load and validate recipe.ts, resolve every tier's layers) over all of them, in-process. */
  planAllMs: number
  recipes: number
}

const TEST_FILE = "import { test } from 'vitest'\n\ntest('generated', () => {})\n"

/** `count` recipe config folders: a recipe.ts (varied keys) and tier overlays, as recipes/ holds. */
export function generateRecipes(dir: string, count: number): string[] {
  const defineRecipe = join(loadSettings().root, 'harness', 'recipe.ts')
  const names: string[] = []
  for (let i = 0; i < count; i++) {
    const name = `bench-recipe-${String(i).padStart(3, '0')}`
    const config = {
      timeouts: { deploy: 120 + i, custom: 900 },
      ...(i % 3 === 0 ? { expectedNA: { backup: 'no state to back up' } } : {}),
      ...(i % 5 === 0 ? { skipGeneric: ['custom'] } : {}),
      ...(i % 7 === 0 ? { health: { path: '/health', status: [200, 204] } } : {}),
    }
    const files: Record<string, string> = {
      'recipe.ts': `import { defineRecipe } from '${defineRecipe}'\n\nexport default defineRecipe(${JSON.stringify(config)})\n`,
      'install/https.test.ts': TEST_FILE,
      'upgrade/data-survives.test.ts': TEST_FILE,
      'custom/site.test.ts': TEST_FILE,
      'custom/api.test.ts': TEST_FILE,
      'custom/flows/login.test.ts': TEST_FILE,
    }
    for (const [file, text] of Object.entries(files)) {
      const path = join(dir, name, file)
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, text)
    }
    names.push(name)
  }
  return names
}

/** One sample: fresh generated recipes (no import cache), the CLI once, then every plan in-process. */
export async function planBench(count: number): Promise<PlanSample> {
  const root = loadSettings().root
  const dir = mkdtempSync(join(tmpdir(), 'ccci-bench-recipes-'))
  try {
    const names = generateRecipes(dir, count)
    const one = names[Math.floor(names.length / 2)] ?? ''
    let started = performance.now()
    const cli = await runCommand(join(root, 'ccci'), ['plan', one, '--no-fetch'], {
      cwd: root,
      env: { CCCI_RECIPE_DIRS: dir, CCCI_QUIET: '1' },
      timeoutMs: 60_000,
    })
    const ccciPlanMs = performance.now() - started
    if (!cli.stdout.includes(`plan for ${one}`)) {
      throw new CcciError('BENCH_PLAN', `./ccci plan ${one} printed no plan`, {
        evidence: [{ label: 'stdout', text: cli.stdout }],
      })
    }
    started = performance.now()
    const entries = discoverRecipes([dir])
    const plans = []
    for (const entry of entries) {
      plans.push(await planRecipe(entry, false, { src: undefined, ref: undefined }))
    }
    const planAllMs = performance.now() - started
    const broken = plans.filter((p) => p.configError !== undefined || p.tiers.length !== 5)
    if (plans.length !== count || broken.length > 0) {
      throw new CcciError('BENCH_PLAN', `planned ${plans.length} of ${count} generated recipes`, {
        evidence: [{ label: 'first error', text: broken[0]?.configError ?? '' }],
      })
    }
    return { ccciPlanMs, planAllMs, recipes: count }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
