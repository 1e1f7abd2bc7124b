import { defineRecipe } from '../../../harness/recipe/recipe-config.ts'

/** The example recipe of `./ccci demo`. */
export default defineRecipe({
  timeouts: { deploy: 120 },
  health: { path: '/', status: 200 },
})
