import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { Settings } from '../config/settings.ts'
import { CcciError } from '../errors.ts'
import type { KeycloakAdminTarget } from '../keycloak/keycloak-admin.ts'
import { AdminCredentialsSchema, localSso } from '../sso-double/sso-service.ts'

/** The environment that points cc-ci at a production Keycloak (docs/dependencies.md). */
const KeycloakEnvSchema = z.object({
  CCCI_KEYCLOAK_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'the Keycloak that provides realms (issuers are <url>/realms/<realm>); unset: the local stand-in',
    ),
  CCCI_KEYCLOAK_ADMIN_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('where cc-ci reaches its admin API (default CCCI_KEYCLOAK_URL)'),
  CCCI_KEYCLOAK_INTERNAL_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("where apps' containers reach it (default CCCI_KEYCLOAK_URL)"),
  CCCI_KEYCLOAK_ADMIN_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'JSON {"username","password"} of a master-realm admin (default $CCCI_HOME/keycloak-admin.json)',
    ),
})

/** The Keycloak a run's realm is made in, and how each party reaches it. */
export interface KeycloakTarget {
  /** Issuers are `<issuerBase>/realms/<realm>`: what a browser and the app see. */
  issuerBase: string
  adminUrl: string
  /** The base URL the app's containers use for back-channel calls. */
  internalUrl: string
  credentialsFile: string
  /** The local stand-in (harness/sso-double), which a run may start cold. */
  standIn: boolean
}

const trim = (url: string): string => url.replace(/\/+$/, '')

/** The configured Keycloak: the production one from the environment, else the local stand-in. */
export function keycloakTarget(
  settings: Settings,
  env: NodeJS.ProcessEnv = process.env,
): KeycloakTarget {
  const parsed = KeycloakEnvSchema.safeParse(env)
  if (!parsed.success) {
    throw new CcciError('CCCI_SETTINGS', `invalid environment: ${z.prettifyError(parsed.error)}`, {
      hint: 'fix or unset the CCCI_KEYCLOAK_* variables (docs/dependencies.md)',
    })
  }
  const e = parsed.data
  if (e.CCCI_KEYCLOAK_URL !== undefined) {
    const url = trim(e.CCCI_KEYCLOAK_URL)
    return {
      issuerBase: url,
      adminUrl: trim(e.CCCI_KEYCLOAK_ADMIN_URL ?? url),
      internalUrl: trim(e.CCCI_KEYCLOAK_INTERNAL_URL ?? url),
      credentialsFile: e.CCCI_KEYCLOAK_ADMIN_FILE ?? join(settings.home, 'keycloak-admin.json'),
      standIn: false,
    }
  }
  if (settings.proxy !== 'local') {
    throw new CcciError(
      'CCCI_DEPS_UNAVAILABLE',
      'no Keycloak is configured for this host: CCCI_KEYCLOAK_URL is unset and the local SSO stand-in runs only with the local proxy',
      {
        hint: 'deploy the keycloak recipe on the CI host and set CCCI_KEYCLOAK_URL and CCCI_KEYCLOAK_ADMIN_FILE (docs/dependencies.md); nothing was deployed',
      },
    )
  }
  const sso = localSso(settings)
  return { ...sso, standIn: true }
}

/** The admin API target with its credentials, read from the credentials file. */
export function adminTarget(
  target: Pick<KeycloakTarget, 'adminUrl' | 'credentialsFile'>,
): KeycloakAdminTarget {
  if (!existsSync(target.credentialsFile)) {
    throw new CcciError(
      'CCCI_DEPS_UNAVAILABLE',
      `the Keycloak admin credentials file ${target.credentialsFile} does not exist`,
      {
        hint: 'write {"username": "...", "password": "..."} of a master-realm admin there (0600), or set CCCI_KEYCLOAK_ADMIN_FILE (docs/dependencies.md)',
      },
    )
  }
  const parsed = AdminCredentialsSchema.safeParse(
    JSON.parse(readFileSync(target.credentialsFile, 'utf8')),
  )
  if (!parsed.success) {
    throw new CcciError(
      'CCCI_DEPS_UNAVAILABLE',
      `${target.credentialsFile} is not {"username": "...", "password": "..."}: ${z.prettifyError(parsed.error)}`,
      { hint: 'fix the Keycloak admin credentials file (docs/dependencies.md)' },
    )
  }
  return { adminUrl: target.adminUrl, ...parsed.data }
}
