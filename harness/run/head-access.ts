import { checkHostAccess } from '../coop/host-access-check.ts'
import type { HostAccessGrant } from '../coop/host-access.ts'
import { renderRecipeCheckout } from '../coop/lint.ts'
import type { AppRef } from '../driver/app-driver.ts'
import { errorData, type ErrorData } from '../error-data.ts'
import { describeError, isCcciError } from '../errors.ts'
import type { Logger } from '../log.ts'

/**
 * Setup step "host access": the policy on the code under test (every compose file of the head,
 * as lint renders it), before anything is deployed, so that a pull request asking for the host
 * gets no deployment at all. Returns the refusal for install to raise; every deploy checks again
 * what it is about to deploy.
 */
export async function checkHeadAccess(
  app: AppRef,
  grants: readonly HostAccessGrant[],
  log: Logger,
): Promise<ErrorData | undefined> {
  try {
    checkHostAccess(app, await renderRecipeCheckout(app), grants, log)
    return undefined
  } catch (error) {
    if (isCcciError(error, 'CCCI_HOST_ACCESS')) {
      log.warn(error.message)
      return errorData(error, 'CCCI_HOST_ACCESS')
    }
    // The files do not render together (lint says why): each deploy still checks what it deploys.
    log.warn(`host access of the head not checked before deploying: ${describeError(error)}`)
    return undefined
  }
}
