import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * A recipe config folder of its own (for `CCCI_RECIPE_DIRS`), outside this checkout, holding one
 * recipe with the given files (paths relative to `<recipe>/`). It is an ES module scope of its
 * own, as a recipes folder outside cc-ci's checkout must be.
 */
export function configDir(
  parent: string,
  recipe: string,
  files: Record<string, string> = {},
): string {
  const dir = mkdtempSync(join(parent, 'config-'))
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  mkdirSync(join(dir, recipe))
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, recipe, name)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, content, { mode: 0o755 })
  }
  return dir
}
