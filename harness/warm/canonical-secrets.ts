import { renderApp } from '../coop/render-app.ts'
import { generateSecretValue, planSecrets } from '../coop/secrets.ts'
import { listSecrets } from '../docker/index.ts'
import type { AppDriver, AppRef } from '../driver/app-driver.ts'
import { registerSecret } from '../redaction/redact.ts'

/**
 * Inserts the secrets an app declares with the values a canonical's data was made with (`kept`,
 * by compose key); keys this version adds get generated values; a secret that exists already (one
 * a dependency inserted) is left as it is. Returns the values by key, to be kept with the next
 * snapshot. Values are registered for redaction before anything sees them.
 */
export async function insertCanonicalSecrets(
  driver: AppDriver,
  app: AppRef,
  kept: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const { rendered, env, secretTemplates } = await renderApp(app)
  const values: Record<string, string> = {}
  const existing = new Set((await listSecrets()).map((s) => s.name))
  for (const plan of planSecrets(rendered, env, secretTemplates)) {
    if (existing.has(plan.name)) {
      continue
    }
    const value = kept[plan.key] ?? (plan.generate ? generateSecretValue(plan) : undefined)
    if (value === undefined) {
      continue
    }
    registerSecret(value)
    values[plan.key] = value
    await driver.insertSecret(app, plan.key, plan.version, value)
  }
  return values
}
