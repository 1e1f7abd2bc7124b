/**
 * `RECIPE=` in place of `TYPE=` (issue 12, point 6): abra accepts either key in an app env
 * (docs.coopcloud.tech operators handbook, "TYPE (or RECIPE)"; docs/drivers.md,
 * "Secrets and the app env") and reads RECIPE first; and an app created with `app new --chaos` is deployed with
 * `--chaos` whatever abra wrote into its env.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { deployChoice } from '../../harness/coop/deploy-choice.ts'
import { parseEnvFile } from '../../harness/coop/env-file.ts'
import { pinnedVersion, recipeTypeKey } from '../../harness/coop/recipe-type.ts'
import type { AppRef } from '../../harness/driver/app-driver.ts'
import { createLogger } from '../../harness/log.ts'
import { SwarmDriver } from '../../harness/swarm/swarm-driver.ts'

const values = (text: string) => parseEnvFile(text).values

describe('the recipe and pinned version: RECIPE= or TYPE=', () => {
  test('RECIPE= pins a version as TYPE= does', () => {
    expect(recipeTypeKey(values('RECIPE=custom-html:1.7.1+1.27.2\n'))).toBe('RECIPE')
    expect(pinnedVersion(values('RECIPE=custom-html:1.7.1+1.27.2\n'))).toBe('1.7.1+1.27.2')
    expect(deployChoice({}, { values: values('RECIPE=custom-html:1.7.1+1.27.2\n') })).toEqual({
      chaos: false,
      version: '1.7.1+1.27.2',
      pinned: '1.7.1+1.27.2',
    })
  })

  test('RECIPE wins over TYPE; TYPE alone, or nothing, as before', () => {
    expect(pinnedVersion(values('TYPE=app:1.0.0\nRECIPE=app:2.0.0\n'))).toBe('2.0.0')
    expect(pinnedVersion(values('RECIPE=app\nTYPE=app:1.0.0\n'))).toBeUndefined()
    expect(recipeTypeKey(values('TYPE=app:1.0.0\n'))).toBe('TYPE')
    expect(pinnedVersion(values('TYPE=app:1.0.0\n'))).toBe('1.0.0')
    expect(recipeTypeKey({})).toBe('TYPE')
    expect(pinnedVersion(values('TYPE=app:\n'))).toBeUndefined()
  })

  test('an app created with --chaos is deployed with --chaos though the env pins a version', () => {
    const pinned = { values: values('TYPE=app:1.0.0+1\n') }
    expect(deployChoice({}, pinned, { createdChaos: true })).toEqual({
      chaos: true,
      version: undefined,
      pinned: '1.0.0+1',
    })
    // An explicit version still wins; without the history the pinned version is deployed.
    expect(deployChoice({ version: '2.0.0+1' }, pinned, { createdChaos: true })).toMatchObject({
      chaos: false,
      version: '2.0.0+1',
    })
    expect(deployChoice({}, pinned)).toMatchObject({ chaos: false, version: '1.0.0+1' })
  })
})

describe('the swarm driver writes the key the sample uses', () => {
  const work = mkdtempSync(join(tmpdir(), 'ccci-recipe-type-'))
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  test('a sample with RECIPE= gets RECIPE=<recipe>, and no TYPE= beside it', async () => {
    const recipeDir = join(work, 'recipe')
    mkdirSync(recipeDir)
    writeFileSync(join(recipeDir, '.env.sample'), 'RECIPE=demo\nDOMAIN=demo.example.com\n')
    const app: AppRef = {
      recipe: 'demo',
      domain: 'demo-0a1b2c.ccci.localhost',
      stack: 'demo-0a1b2c_ccci_localhost',
      server: 'default',
      recipeDir,
      envFile: join(work, 'servers', 'default', 'demo-0a1b2c.ccci.localhost.env'),
    }
    const driver = new SwarmDriver({
      ownerLabels: {},
      log: createLogger('recipe-type-test'),
      backupDir: join(work, 'backups'),
    })
    await driver.newApp(app, { chaos: true })
    expect(readFileSync(app.envFile, 'utf8')).toBe(
      'RECIPE=demo\nDOMAIN=demo-0a1b2c.ccci.localhost\n',
    )
  })
})
