import { CcciError } from '../errors.ts'

/** Co-op Cloud recipe names: lower-case letters, digits, `-` and `_`, starting with a letter or digit. */
const RECIPE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/

export function isRecipeName(name: string): boolean {
  return RECIPE_NAME.test(name)
}

export function validateRecipeName(name: string): string {
  if (!isRecipeName(name)) {
    throw new CcciError('CCCI_BAD_RECIPE_NAME', `not a recipe name: ${JSON.stringify(name)}`, {
      hint: 'recipe names are lower-case letters, digits, - and _ (e.g. custom-html), at most 63 characters',
    })
  }
  return name
}
