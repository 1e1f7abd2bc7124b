import { z } from 'zod'
import { RecipeConfigSchema } from './recipe-config.ts'

/** docs/recipe.schema.json: the JSON schema of recipe.ts, generated (checked for drift by a test). */
export function recipeJsonSchema(): string {
  const schema = z.toJSONSchema(RecipeConfigSchema, { io: 'input', unrepresentable: 'any' })
  return `${JSON.stringify(schema, null, 2)}\n`
}
