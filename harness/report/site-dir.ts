import { join } from 'node:path'

/** Where `ccci report` writes the site by default, and what the bridge serves: `$CCCI_HOME/site`. */
export function siteDir(home: string): string {
  return join(home, 'site')
}
