import { join } from 'node:path'
import { findFiles } from '../files/find-files.ts'

/**
 * Screenshots and traces a run kept, relative to the bundle folder: `withPage`'s failure
 * artifacts (`<results>/browser/`) and a recipe's Playwright suite's (`<results>/playwright/`).
 */
export function browserArtifacts(resultsDir: string): string[] {
  return ['browser', 'playwright'].flatMap((dir) =>
    findFiles(join(resultsDir, dir), /\.(png|jpe?g|zip|webm)$/i).map((file) => `../${dir}/${file}`),
  )
}
