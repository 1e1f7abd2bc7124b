import { join } from 'node:path'
import { hostUp } from '../host/local-host.ts'
import type { Command } from './command.ts'
import { runVitest } from './vitest-cli.ts'

const EXAMPLE_RECIPE = 'hello-static'

export const demoCommand: Command = {
  summary: 'bring up the local host and run the bundled example recipe through every tier',
  usage: 'demo',
  async run(_args, { settings, log }) {
    await hostUp(settings, log)
    const recipes = join(settings.root, 'recipes')
    log.step(
      `example recipe ${EXAMPLE_RECIPE}: config in recipes/${EXAMPLE_RECIPE}, source in examples/${EXAMPLE_RECIPE}`,
    )
    // The literal contract: `vitest run --project hello-static`, its source from its recipe.ts.
    return runVitest(settings, ['run', '--project', EXAMPLE_RECIPE], {
      SRC: undefined,
      REF: undefined,
      CCCI_RECIPE_DIRS: [recipes, ...settings.recipeDirs.filter((d) => d !== recipes)].join(':'),
    })
  },
}
