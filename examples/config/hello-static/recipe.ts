import { defineRecipe } from '../../../harness/recipe/recipe-config.ts'

/** The example recipe of `./ccci demo`. */
export default defineRecipe({
  // A second name for the site, one label deep so the wildcard certificate covers it.
  extraEnv: ({ sibling }) => ({ EXTRA_DOMAINS: `, \`${sibling('www')}\`` }),
  health: { path: '/', status: 200 },
  timeouts: { deploy: 120 },
})
