/**
 * Which recipes a Vitest command line selects, decided the way Vitest matches `--project`
 * (anchored, case-insensitive, `*` wildcard, `!` excludes, a container's name matches its
 * children) so the config can prepare only the selected recipe before Vitest filters projects.
 */
export function projectFilters(argv: readonly string[]): string[] {
  const filters: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--project' && argv[i + 1] !== undefined) {
      filters.push(argv[++i] ?? '')
    } else if (arg.startsWith('--project=')) {
      filters.push(arg.slice('--project='.length))
    }
  }
  return filters
}

function matcher(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')
  return new RegExp(`^${escaped}$`, 'i')
}

/** Recipes with at least one tier project selected by the filters (no filter: all). */
export function selectedRecipes(
  filters: readonly string[],
  recipes: readonly string[],
  tiers: readonly string[],
): string[] {
  const include = filters.filter((f) => !f.startsWith('!')).map(matcher)
  const exclude = filters.filter((f) => f.startsWith('!')).map((f) => matcher(f.slice(1)))
  return recipes.filter((recipe) =>
    tiers.some((tier) => {
      const names = [recipe, `${recipe} (${tier})`]
      const included = include.length === 0 || include.some((re) => names.some((n) => re.test(n)))
      const excluded = exclude.some((re) => re.test(`${recipe} (${tier})`) || re.test(recipe))
      return included && !excluded
    }),
  )
}

/**
 * Whether a recipe runs as one project (every tier in one worker) rather than a project per
 * tier: unless the filters pick tiers of it, i.e. an include that selects one of its tiers but not
 * the recipe itself (`<recipe> (install)`, `*(upgrade)`), or an exclude that drops one of its tiers.
 */
export function runsWhole(
  filters: readonly string[],
  recipe: string,
  tiers: readonly string[],
): boolean {
  const names = tiers.map((tier) => `${recipe} (${tier})`)
  return filters.every((filter) => {
    const excluded = filter.startsWith('!')
    const re = matcher(excluded ? filter.slice(1) : filter)
    const picksTier = names.some((n) => re.test(n))
    return excluded ? !picksTier : !picksTier || re.test(recipe)
  })
}
