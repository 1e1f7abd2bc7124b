import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppRef } from '../driver/app-driver.ts'
import { parseEnvFile } from './env-file.ts'

/**
 * What an operator does when an upgrade brings new settings: the keys the new `.env.sample` has
 * and the app env lacks are appended to the app env, as the sample writes them (modifiers such as
 * `# length=48` included). Returns the keys added.
 */
export function addNewSampleKeys(app: AppRef): string[] {
  const samplePath = join(app.recipeDir, '.env.sample')
  const sampleText = readFileSync(samplePath, 'utf8')
  const sample = parseEnvFile(sampleText, { file: samplePath })
  const current = parseEnvFile(readFileSync(app.envFile, 'utf8'), { file: app.envFile })
  const missing = Object.keys(sample.values).filter((key) => !(key in current.values))
  if (missing.length === 0) {
    return []
  }
  const lines = sampleText.split(/\r?\n/)
  const assignment = (key: string) =>
    lines.findLast((line) => new RegExp(`^\\s*(export\\s+)?${key}\\s*=`).test(line)) ?? `${key}=`
  appendFileSync(
    app.envFile,
    `\n# added by cc-ci from the .env.sample of the upgrade\n${missing.map(assignment).join('\n')}\n`,
  )
  return missing
}
