import { expect, test } from 'vitest'
import { configurationDoc } from '../../harness/config/configuration-doc.ts'
import { errorsDoc } from '../../harness/errors-doc.ts'
import { inspectionJsonSchema } from '../../harness/inspect/inspection-schema.ts'
import { recipeJsonSchema } from '../../harness/recipe/recipe-schema-doc.ts'

test('docs/configuration.md lists every environment variable cc-ci reads', async () => {
  await expect(configurationDoc()).toMatchFileSnapshot('../../docs/configuration.md')
})

test('docs/recipe.schema.json is the schema of recipe.ts', async () => {
  await expect(recipeJsonSchema()).toMatchFileSnapshot('../../docs/recipe.schema.json')
})

test('docs/inspect.schema.json is the schema of `ccci inspect --json`', async () => {
  await expect(inspectionJsonSchema()).toMatchFileSnapshot('../../docs/inspect.schema.json')
})

test('docs/errors.md lists every error code with when it is raised', async () => {
  await expect(errorsDoc()).toMatchFileSnapshot('../../docs/errors.md')
})
