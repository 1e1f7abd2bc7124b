import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { CHROMIUM_PATH, launchBrowser, requireChromium } from '../../harness/browser/index.ts'
import { CcciError } from '../../harness/errors.ts'
import { HOST_PACKAGES } from '../../harness/host/engine-setup.ts'

const root = join(import.meta.dirname, '..', '..')
const MISSING = '/nonexistent/ccci-test/chromium'

describe('what `ccci host up` provisions', () => {
  test("host up installs Debian's chromium, probed at the path browser tests launch", () => {
    expect(HOST_PACKAGES).toContainEqual({ pkg: 'chromium', probe: CHROMIUM_PATH })
    expect(HOST_PACKAGES.map((p) => p.pkg)).toEqual(
      expect.arrayContaining(['docker.io', 'caddy', 'busybox-static', 'chromium']),
    )
  })

  test('.ci/run installs nothing itself: only ./ccci host up, janitor and test', () => {
    const script = readFileSync(join(root, '.ci', 'run'), 'utf8')
    const commands = script
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .filter((line) => !/^(set|cd) /.test(line))
    expect(commands).toEqual(['./ccci host up', './ccci janitor', 'exec ./ccci test'])
    for (const { pkg } of HOST_PACKAGES) {
      expect(commands.join('\n')).not.toContain(pkg)
    }
  })
})

describe('Chromium missing at run time', () => {
  function missingError(run: () => unknown): CcciError {
    try {
      run()
    } catch (error) {
      if (error instanceof CcciError) {
        return error
      }
      throw error
    }
    throw new Error('no error thrown')
  }

  test('requireChromium names the missing file and both fixes', () => {
    const error = missingError(() => requireChromium(MISSING))
    expect(error.code).toBe('CCCI_BROWSER_MISSING')
    expect(error.message).toContain(MISSING)
    expect(error.hint).toContain('./ccci host up')
    expect(error.hint).toContain('apt-get install -y chromium')
  })

  test('launchBrowser fails with that error before starting anything', async () => {
    await expect(
      launchBrowser(
        { baseURL: 'https://x.test/', loopbackSuffix: undefined, trustedSpki: [] },
        MISSING,
      ),
    ).rejects.toMatchObject({ code: 'CCCI_BROWSER_MISSING' })
  })
})
