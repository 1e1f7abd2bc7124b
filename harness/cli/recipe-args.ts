import { CcciError } from '../errors.ts'
import { validateRecipeName } from '../recipe/recipe-name.ts'

/**
 * The checks of a command about one recipe (`run`, `inspect`): exactly one valid recipe name
 * among the positionals, and `--pr` (when given) a pull request number.
 */
export function recipeArgs(
  positionals: readonly string[],
  pr: string | undefined,
  usage: string,
): { recipe: string; pr: string | undefined } {
  if (positionals.length !== 1) {
    throw new CcciError('CCCI_USAGE', `expected one recipe, got ${positionals.length}`, {
      hint: `usage: ccci ${usage}`,
    })
  }
  if (pr !== undefined && !/^\d{1,9}$/.test(pr)) {
    throw new CcciError('CCCI_USAGE', `--pr takes a pull request number, got ${JSON.stringify(pr)}`)
  }
  return { recipe: validateRecipeName(positionals[0] ?? ''), pr }
}
