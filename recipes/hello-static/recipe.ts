import { defineRecipe } from '../../harness/recipe.ts'

/** The example recipe of `./ccci demo`; its source is kept as files in examples/hello-static. */
export default defineRecipe({
  source: '../../examples/hello-static',
  // A second name for the site, one label deep so the wildcard certificate covers it.
  extraEnv: ({ sibling }) => ({ EXTRA_DOMAINS: `, \`${sibling('www')}\`` }),
  health: { path: '/', status: 200 },
  timeouts: { deploy: 120 },
})
