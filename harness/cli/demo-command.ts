import { join } from 'node:path'
import { buildRecipeRepo } from '../fixtures/recipe-repo.ts'
import { hostUp } from '../host/local-host.ts'
import type { Command } from './command.ts'
import { runVitest } from './vitest-cli.ts'

export const EXAMPLE_RECIPE = 'hello-static'

export const demoCommand: Command = {
  summary: 'bring up the local host and run the bundled example recipe through every tier',
  usage: 'demo',
  async run(_args, { settings, log }) {
    await hostUp(settings, log)
    const repo = await buildRecipeRepo(
      join(settings.root, 'examples', 'sources', EXAMPLE_RECIPE),
      join(settings.home, 'examples', EXAMPLE_RECIPE),
    )
    log.step(
      `example recipe ${EXAMPLE_RECIPE}: a git repository at ${repo.path} with releases ${repo.tags.join(', ')}`,
    )
    return runVitest(settings, ['run', '--project', EXAMPLE_RECIPE], {
      SRC: repo.path,
      REF: undefined,
      CCCI_RECIPE_DIRS: [join(settings.root, 'examples', 'config'), ...settings.recipeDirs].join(
        ':',
      ),
    })
  },
}
