/**
 * The app env key naming the app's recipe and pinned version (`<key>=<recipe>[:<version>]`):
 * abra accepts `RECIPE=` in place of `TYPE=` and reads `RECIPE` first. `TYPE` when neither is set.
 */
export function recipeTypeKey(values: Readonly<Record<string, string>>): 'RECIPE' | 'TYPE' {
  return values.RECIPE !== undefined ? 'RECIPE' : 'TYPE'
}

/** The version the app env pins (`RECIPE=` or `TYPE=` `<recipe>:<version>`), if any. */
export function pinnedVersion(values: Readonly<Record<string, string>>): string | undefined {
  const value = values[recipeTypeKey(values)] ?? ''
  const colon = value.indexOf(':')
  const version = colon < 0 ? '' : value.slice(colon + 1).trim()
  return version === '' ? undefined : version
}
