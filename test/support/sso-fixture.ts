import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadSettings } from '../../harness/config/settings.ts'
import { adminTarget, keycloakTarget } from '../../harness/deps/keycloak-target.ts'
import { ensureNodeAppImage } from '../../harness/host/node-image.ts'
import { listRealms, type RealmSummary } from '../../harness/keycloak/keycloak-admin.ts'
import { REPO_ROOT } from './fixtures.ts'

/** The image of the sso-app fixture's app: Node, openid-client and app.ts. */
export const OIDC_APP_IMAGE = 'ccci-local/oidc-app:1'
const APP_DIR = join(REPO_ROOT, 'test', 'fixtures', 'images', 'oidc-app')

/** Builds the sso-app fixture's image (locally, no registry) unless it is up to date. */
export function ensureOidcAppImage(): Promise<'built' | 'present'> {
  return ensureNodeAppImage(OIDC_APP_IMAGE, {
    files: readdirSync(APP_DIR).map((name) => ({
      type: 'file' as const,
      name,
      content: readFileSync(join(APP_DIR, name)),
    })),
    packages: ['openid-client'],
    main: 'app.ts',
  })
}

/** Every realm of the configured Keycloak (the local stand-in here), with its attributes. */
export function realms(): Promise<RealmSummary[]> {
  return listRealms(adminTarget(keycloakTarget(loadSettings())))
}
