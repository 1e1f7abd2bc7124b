/**
 * The public surface for recipe configs (`recipes/<recipe>/recipe.ts`): `defineRecipe` and its
 * types, and nothing else, so that loading a recipe's config costs a few small modules (every run,
 * `ccci plan`, `ccci inspect` and the sweep load them). Tests and overlays import
 * harness/index.ts (`@cc-ci/harness`), which exports the same names.
 */
export {
  defineRecipe,
  type ExtraEnvContext,
  type RecipeConfig,
  type RecipeConfigInput,
} from './recipe/recipe-config.ts'
