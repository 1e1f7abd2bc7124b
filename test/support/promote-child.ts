/**
 * A promotion in a process of its own, so that a test can kill it at a step (`CCCI_FAULT=<step>`,
 * harness/warm/fault-point.ts): `node --import tsx promote-child.ts <recipe> <repo> <version> <commit>`.
 */
import { loadSettings } from '../../harness/config/settings.ts'
import { createLogger } from '../../harness/log.ts'
import { RecipeConfigSchema } from '../../harness/recipe/recipe-config.ts'
import { promoteCanonical } from '../../harness/warm/promote.ts'

const [recipe = '', repo = '', version = '', commit = ''] = process.argv.slice(2)
const outcome = await promoteCanonical({
  settings: loadSettings(),
  recipe,
  config: RecipeConfigSchema.parse({ warmCanonical: true, timeouts: { deploy: 90 } }),
  version,
  commit,
  repo,
  log: createLogger('promote'),
})
process.stdout.write(`promoted ${outcome.version} as ${outcome.snapshot}\n`)
