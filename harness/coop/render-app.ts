import { renderStack, type RenderedStack } from '../docker/index.ts'
import type { AppRef } from '../driver/app-driver.ts'
import { composeFiles, deployEnv, readAppEnv } from './app-env.ts'
import type { AppEnv } from './env-file.ts'
import { readSecretNameTemplates } from './secret-name-templates.ts'

export interface RenderedApp {
  rendered: RenderedStack
  /** The variables the compose files are rendered (and deployed) with. */
  vars: Record<string, string>
  appEnv: Record<string, string>
  /** The app env with its modifiers (secret `length=`, `charset=`, `generate=`). */
  env: AppEnv
  /** Each top-level secret's `name:` as written, before interpolation (secret-name-templates.ts). */
  secretTemplates: Record<string, string>
  files: string[]
}

/** The app's stack as a deploy will read it: its compose files, rendered with its env by Docker. */
export async function renderApp(app: AppRef): Promise<RenderedApp> {
  const env = readAppEnv(app)
  const files = composeFiles(app, env)
  const vars = deployEnv(app, env)
  const rendered = await renderStack(app.recipeDir, files, vars)
  const secretTemplates = readSecretNameTemplates(app.recipeDir, files)
  return { rendered, vars, appEnv: env.values, env, secretTemplates, files }
}
