import { realpathSync } from 'node:fs'
import type { AppRef } from '../driver/app-driver.ts'
import { errorFromData, type ErrorData } from '../error-data.ts'
import { CcciError } from '../errors.ts'
import type { Logger } from '../log.ts'
import {
  AccessStackSchema,
  decideHostAccess,
  describeFinding,
  hostAccessFindings,
  isInside,
  type GrantedAccess,
  type HostAccessDecision,
  type HostAccessGrant,
} from './host-access.ts'

function resolved(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    // A file that does not exist leaves nothing to read; Docker's own error will say so.
    return path
  }
}

/** The host accesses of a rendered stack, split into what the grants allow and what is refused. */
export function hostAccessDecision(
  app: Pick<AppRef, 'recipeDir'>,
  rendered: unknown,
  grants: readonly HostAccessGrant[],
): HostAccessDecision {
  const stack = AccessStackSchema.parse(rendered)
  const recipeDir = resolved(app.recipeDir)
  const findings = hostAccessFindings(stack, (file) => !isInside(recipeDir, resolved(file)))
  return decideHostAccess(findings, grants)
}

/**
 * The host-access policy on the stack a deploy is about to create, identical for both drivers:
 * throws CCCI_HOST_ACCESS naming every refused access (service, key, value) and how to allow it;
 * returns (and logs) what the recipe's grants allowed.
 */
export function checkHostAccess(
  app: AppRef,
  rendered: unknown,
  grants: readonly HostAccessGrant[],
  log: Logger,
): GrantedAccess[] {
  const decision = hostAccessDecision(app, rendered, grants)
  if (decision.refused.length > 0) {
    throw new CcciError(
      'CCCI_HOST_ACCESS',
      `recipe ${app.recipe} asks for access to the CI host that cc-ci does not give a recipe under test:\n${decision.refused.map((f) => `  ${describeFinding(f)}`).join('\n')}`,
      {
        hint: 'remove it from the compose file; where the recipe really needs it (e.g. traefik and the Docker socket), grant exactly that access in its recipes/<recipe>/recipe.ts `hostAccess`; nothing was deployed',
      },
    )
  }
  const granted = decision.granted.map(({ finding, grant }) => ({
    service: finding.service ?? '',
    access: finding.kind,
    value: finding.value,
    reason: grant.reason,
  }))
  for (const g of granted) {
    log.warn(`host access granted by recipe.ts: ${g.service} ${g.access} ${g.value} (${g.reason})`)
  }
  return granted
}

/** Throws the refusal the setup recorded for the code under test, if any (install, before it deploys). */
export function refuseHostAccess(refusal: ErrorData | undefined): void {
  if (refusal !== undefined) {
    throw errorFromData(refusal)
  }
}
