import { existsSync } from 'node:fs'
import { CcciError } from '../errors.ts'

/** Debian's Chromium, installed by `./ccci host up`. cc-ci never downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/**
 * The Chromium binary browser tests launch, or a `CCCI_BROWSER_MISSING` error naming the fix
 * when it is not installed (no import of Playwright: the host setup uses this file too).
 */
export function requireChromium(path: string = CHROMIUM_PATH): string {
  if (existsSync(path)) {
    return path
  }
  throw new CcciError(
    'CCCI_BROWSER_MISSING',
    `Chromium is not installed (${path} is missing); browser tests drive Debian's Chromium`,
    {
      hint: 'run `./ccci host up` (as root it installs the Debian packages the local host needs, chromium included) or `apt-get install -y chromium`',
    },
  )
}
