import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { errorData, errorFromData } from '../../harness/error-data.ts'
import { CcciError } from '../../harness/errors.ts'
import { planRecipe } from '../../harness/vitest/recipe-projects.ts'

const count = (text: string, part: string) => text.split(part).length - 1

describe('an error carried as data', () => {
  test('is raised again once: same code, message and evidence, one "What to do" line', () => {
    const original = new CcciError('CCCI_RECIPE_CONFIG_INVALID', 'recipe.ts is not valid', {
      hint: 'fix the key named above',
      evidence: [{ label: 'file', text: 'recipes/x/recipe.ts' }],
    })
    const again = errorFromData(
      structuredClone(errorData(original, 'CCCI_RECIPE_CONFIG')),
      'nothing was deployed',
    )
    expect(again.report()).toBe(
      'recipe.ts is not valid [CCCI_RECIPE_CONFIG_INVALID]\n--- file ---\nrecipes/x/recipe.ts\n' +
        'What to do: fix the key named above; nothing was deployed',
    )
  })

  test('anything not a CcciError gets the fallback code and its message', () => {
    const again = errorFromData(
      errorData(new Error('boom'), 'CCCI_RECIPE_CONFIG'),
      'nothing was deployed',
    )
    expect(again.report()).toBe('boom [CCCI_RECIPE_CONFIG]\nWhat to do: nothing was deployed')
  })

  test('a recipe.ts that does not validate reaches the run as one error with its own code', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ccci-recipe-')), 'keycloak')
    mkdirSync(dir)
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n')
    writeFileSync(join(dir, 'recipe.ts'), 'export default { nonsense: 1 }\n')
    const plan = await planRecipe({ name: 'keycloak', dir }, false, {
      src: undefined,
      ref: undefined,
    })
    expect(plan.configFailure?.code).toBe('CCCI_RECIPE_CONFIG_INVALID')
    const report = errorFromData(plan.configFailure!, 'nothing was deployed').report()
    expect(count(report, '[CCCI_')).toBe(1)
    expect(count(report, 'What to do:')).toBe(1)
    expect(report).toMatch(/What to do: .*; nothing was deployed$/)
  })
})
