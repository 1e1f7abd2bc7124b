import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { enrolledRecipes, repoOfSource } from '../../harness/bridge/enrolment.ts'

test('a source URL on the forge names its repository', () => {
  const forge = 'https://git.coopcloud.tech'
  expect(repoOfSource('https://git.coopcloud.tech/coop-cloud/keycloak.git', forge)).toEqual({
    owner: 'coop-cloud',
    name: 'keycloak',
  })
  expect(repoOfSource('https://git.coopcloud.tech/coop-cloud/keycloak', forge)).toEqual({
    owner: 'coop-cloud',
    name: 'keycloak',
  })
  expect(
    repoOfSource('http://127.0.0.1:3000/gitea/org/r.git', 'http://127.0.0.1:3000/gitea/'),
  ).toEqual({
    owner: 'org',
    name: 'r',
  })
})

test('paths, SSH, other hosts, deeper paths and credentials are not enrolled', () => {
  const forge = 'https://git.coopcloud.tech'
  for (const source of [
    '../../examples/hello-static',
    '/srv/recipes/x',
    'git@git.coopcloud.tech:coop-cloud/x.git',
    'https://github.com/coop-cloud/x.git',
    'http://git.coopcloud.tech/coop-cloud/x.git',
    'https://git.coopcloud.tech/coop-cloud/x/y.git',
    'https://git.coopcloud.tech/x.git',
    'https://user:pw@git.coopcloud.tech/coop-cloud/x.git',
    'https://git.coopcloud.tech.evil.example/coop-cloud/x.git',
  ]) {
    expect(repoOfSource(source, forge), source).toBeUndefined()
  }
})

test('recipe folders are enrolled from their recipe.ts source, or the catalogue default', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ccci-enrol-'))
  try {
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n')
    mkdirSync(join(dir, 'zero'))
    mkdirSync(join(dir, 'ported'))
    writeFileSync(
      join(dir, 'ported', 'recipe.ts'),
      "export default { source: 'https://forge.example/ops/ported.git' }\n",
    )
    mkdirSync(join(dir, 'local'))
    writeFileSync(join(dir, 'local', 'recipe.ts'), "export default { source: '../elsewhere' }\n")
    mkdirSync(join(dir, 'broken'))
    writeFileSync(join(dir, 'broken', 'recipe.ts'), 'export default { nonsense: true }\n')
    const onForge = await enrolledRecipes([dir], 'https://forge.example')
    expect(onForge.enrolled).toEqual([{ recipe: 'ported', repo: { owner: 'ops', name: 'ported' } }])
    expect(onForge.problems).toEqual([expect.stringContaining('broken')])
    const onCatalogue = await enrolledRecipes([dir], 'https://git.coopcloud.tech')
    expect(onCatalogue.enrolled).toEqual([
      { recipe: 'zero', repo: { owner: 'coop-cloud', name: 'zero' } },
    ])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
