/**
 * Key names whose values are treated as secrets even when cc-ci did not generate them: a word of
 * the name (`API_TOKEN`, `SECRET_KEY_BASE`, `SMTP_PASSWORD`; not `KEYCLOAK_URL`).
 */
const SECRET_KEY = /(^|_)(PASSWORD|PASSWD|PASS|SECRET|TOKEN|KEY|CREDENTIALS?|PRIVATE|APIKEY)(_|$)/i
/**
 * Names of something else: abra's secret versions (`SECRET_DB_PASSWORD_VERSION=v1`) and the
 * paths of secret files (`DB_PASSWORD_FILE=/run/secrets/db_password`).
 */
const NOT_A_SECRET = /^SECRET_[A-Z0-9_]+_VERSION$|_FILE$/i
/** Shorter values are not worth hiding (and `1`, `true` would be hidden everywhere). */
const MIN_LENGTH = 6

/** Whether an app env key holds a secret by its name (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `*KEY*`...). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_A_SECRET.test(key)
}

/** The values of an app env that its key names say are secrets (long enough to matter). */
export function secretEnvValues(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env)
    .filter(([key, value]) => isSecretKey(key) && value.length >= MIN_LENGTH)
    .map(([, value]) => value)
}
