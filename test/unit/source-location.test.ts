import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { sourceFlags } from '../../harness/cli/source-flags.ts'
import { CcciError } from '../../harness/errors.ts'
import { validateSource } from '../../harness/git/index.ts'
import { zeroConfig } from '../../harness/recipe/recipe-config.ts'
import { prepareSource } from '../../harness/run/source.ts'

const work = mkdtempSync(join(tmpdir(), 'ccci-src-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))
const savedCaller = process.env.CCCI_CALLER_CWD
afterEach(() => {
  if (savedCaller === undefined) {
    delete process.env.CCCI_CALLER_CWD
  } else {
    process.env.CCCI_CALLER_CWD = savedCaller
  }
})

/** A git repository with one commit, in a folder whose name holds a space. */
function gitRepo(dir: string): string {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'compose.yml'), 'services: {}\n')
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@x',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@x',
      },
    })
  git('init', '-q', '-b', 'main')
  git('add', '.')
  git('commit', '-q', '-m', 'init')
  return dir
}

describe('--src is resolved against the directory the user ran cc-ci from', () => {
  test('a relative path: against CCCI_CALLER_CWD (set by ./ccci), not this process directory', () => {
    process.env.CCCI_CALLER_CWD = '/somewhere/else'
    expect(sourceFlags({ src: './my-recipe' }).src).toBe('/somewhere/else/my-recipe')
    expect(sourceFlags({ src: '../up/r' }).src).toBe('/somewhere/up/r')
    expect(sourceFlags({ src: '~/r' }).src).toBe(join(homedir(), 'r'))
  })

  test('URLs and user@host:path are left as they are', () => {
    for (const src of [
      'https://git.coopcloud.tech/coop-cloud/keycloak.git',
      'ssh://git@git.coopcloud.tech:2222/coop-cloud/keycloak.git',
      'git@git.coopcloud.tech:coop-cloud/keycloak.git',
      'file:///srv/recipes/keycloak',
    ]) {
      expect(sourceFlags({ src }).src).toBe(src)
    }
  })

  test('./ccci passes the caller directory on', () => {
    const wrapper = readFileSync(join(import.meta.dirname, '..', '..', 'ccci'), 'utf8')
    const exported = wrapper.indexOf('export CCCI_CALLER_CWD="$PWD"')
    expect(exported).toBeGreaterThan(0)
    expect(exported).toBeLessThan(wrapper.lastIndexOf('exec node'))
  })
})

describe('paths with spaces', () => {
  test('are accepted', () => {
    expect(validateSource('/srv/my recipes/keycloak')).toBe('/srv/my recipes/keycloak')
    process.env.CCCI_CALLER_CWD = '/home/me'
    expect(sourceFlags({ src: 'my recipes/keycloak' }).src).toBe('/home/me/my recipes/keycloak')
  })

  test('a refused source says why', () => {
    const why = (src: string): string => {
      try {
        validateSource(src)
      } catch (error) {
        if (error instanceof CcciError) {
          return error.message
        }
      }
      return 'accepted'
    }
    expect(why('-x')).toMatch(/read as an option/)
    expect(why('a\tb')).toMatch(/control character/)
    expect(why('https://x y')).toMatch(/URL/)
    expect(why('/srv/(weird)')).toMatch(/a local path may only hold/)
  })
})

describe('the source cache is keyed on the resolved location', () => {
  test('./r, r/, an absolute path and a symbolic link to it share one cache entry', async () => {
    const caller = join(work, 'caller dir')
    const repo = gitRepo(join(caller, 'my recipe'))
    symlinkSync(repo, join(work, 'link to recipe'))
    const home = join(work, 'home')
    process.env.CCCI_CALLER_CWD = caller
    const spellings = ['./my recipe', 'my recipe/', repo, join(work, 'link to recipe')]
    const prepared = []
    for (const src of spellings) {
      prepared.push(await prepareSource(home, 'demo', zeroConfig(), { src, ref: undefined }))
    }
    expect(new Set(prepared.map((p) => p.cacheRepo)).size).toBe(1)
    expect(prepared.map((p) => p.src)).toEqual(spellings.map(() => repo))
    expect(new Set(prepared.map((p) => p.commit)).size).toBe(1)
  }, 60_000)
})
