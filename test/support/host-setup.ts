import { loadSettings } from '../../harness/config/settings.ts'
import { hostUp } from '../../harness/host/local-host.ts'
import { createLogger } from '../../harness/log.ts'

/** Integration and end-to-end tests need the local host: bring it up (idempotent). */
export async function setup(): Promise<void> {
  await hostUp(loadSettings(), createLogger('test-host'))
}
