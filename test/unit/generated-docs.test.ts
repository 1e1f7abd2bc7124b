import { expect, test } from 'vitest'
import { configurationDoc } from '../../harness/config/configuration-doc.ts'

test('docs/configuration.md lists every environment variable cc-ci reads', async () => {
  await expect(configurationDoc()).toMatchFileSnapshot('../../docs/configuration.md')
})
