import type { AppRef } from '../driver/app-driver.ts'
import type { AbraCli } from './abra-cli.ts'
import { extractJson, parseWith } from './abra-output.ts'
import { AppListSchema, findApp, listedState } from './app-list.ts'

/** What `abra app ls` says of the app: whether it is deployed, at which version. */
export async function appListed(
  cli: AbraCli,
  app: AppRef,
): Promise<ReturnType<typeof listedState>> {
  const result = await cli.run(app, ['app', 'ls', '--machine', '--status', '--no-input'])
  const list = parseWith(
    AppListSchema,
    extractJson(result.output, result.command),
    result.command,
    result.output,
  )
  return listedState(findApp(list, app.domain))
}
