import { CcciError } from '../errors.ts'
import { runCommand, tryCommand, type CommandResult } from '../process/index.ts'

const GIT_ENV = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'cc-ci',
  GIT_AUTHOR_EMAIL: 'cc-ci@localhost',
  GIT_COMMITTER_NAME: 'cc-ci',
  GIT_COMMITTER_EMAIL: 'cc-ci@localhost',
}

function git(
  dir: string,
  args: string[],
  timeoutMs = 60_000,
  hint?: string,
): Promise<CommandResult> {
  return runCommand('git', ['-C', dir, ...args], { timeoutMs, env: GIT_ENV, hint })
}

/** URL schemes git may fetch a recipe from. */
const URL_SOURCE = /^(https?|ssh|git|file):\/\/\S+$/
/** scp-like `user@host:path`. */
const SCP_SOURCE = /^[\w.-]+@[\w.-]+:[\w./~-]+$/
/** A local path: letters, digits, spaces and `. _ ~ + @ - /` (no `:`, so never git's `ext::`). */
const PATH_SOURCE = /^[\w./~+-][\w ./~+@-]*$/

/** Whether a (valid) source is a local path rather than a URL or `user@host:path`. */
export function isLocalSource(src: string): boolean {
  return !URL_SOURCE.test(src) && !SCP_SOURCE.test(src)
}

/**
 * A recipe source: an URL (https, http, ssh, git, file) or `user@host:path`, or a local path
 * (spaces allowed). Anything starting with `-` is refused so it cannot be read as an option.
 */
export function validateSource(src: string): string {
  const trimmed = src.trim()
  const why =
    trimmed === ''
      ? 'it is empty'
      : trimmed.startsWith('-')
        ? 'it starts with `-` and would be read as an option'
        : [...trimmed].some((c) => c.charCodeAt(0) < 0x20 || c === '\x7f')
          ? 'it holds a control character (tab, newline, NUL...)'
          : URL_SOURCE.test(trimmed) || SCP_SOURCE.test(trimmed) || PATH_SOURCE.test(trimmed)
            ? undefined
            : /^[a-z][\w+.-]*:/i.test(trimmed)
              ? 'it is neither an https, http, ssh, git or file URL without blanks nor user@host:path'
              : 'a local path may only hold letters, digits, spaces and . _ ~ + @ - /'
  if (why !== undefined) {
    throw new CcciError('CCCI_BAD_SOURCE', `not a recipe source: ${JSON.stringify(src)}: ${why}`, {
      hint: 'give a git URL (https://git.coopcloud.tech/coop-cloud/<recipe>.git) or a local path to a git repository',
    })
  }
  return trimmed
}

/** A branch, tag, commit or `refs/...` name; refused if it could be read as an option. */
export function validateRef(ref: string): string {
  const ok =
    /^[\w][\w./+-]{0,199}$/.test(ref) &&
    !ref.includes('..') &&
    !ref.endsWith('.lock') &&
    !ref.endsWith('/')
  if (!ok) {
    throw new CcciError('CCCI_BAD_REF', `not a git ref: ${JSON.stringify(ref)}`, {
      hint: 'give a branch, a tag such as 1.2.0+3.4.5, a commit SHA or refs/pull/<n>/head',
    })
  }
  return ref
}

export async function cloneRepo(src: string, dest: string): Promise<void> {
  const source = validateSource(src)
  await runCommand('git', ['clone', '--quiet', '--no-hardlinks', '--', source, dest], {
    timeoutMs: 300_000,
    env: GIT_ENV,
    hint: `check that ${source} exists and is readable from this host`,
  })
}

/** The commit a ref names in a clone: a remote branch, a tag, a commit, or fetched from origin. */
export async function resolveRef(dir: string, ref: string): Promise<string> {
  validateRef(ref)
  for (const candidate of [`refs/remotes/origin/${ref}`, `refs/tags/${ref}`, ref]) {
    const found = await tryCommand(
      'git',
      ['-C', dir, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${candidate}^{commit}`],
      { timeoutMs: 30_000, env: GIT_ENV },
    )
    if (found.exitCode === 0) {
      return found.stdout.trim()
    }
  }
  const fetched = await tryCommand('git', ['-C', dir, 'fetch', '--quiet', 'origin', '--', ref], {
    timeoutMs: 120_000,
    env: GIT_ENV,
  })
  if (fetched.exitCode === 0) {
    return (await git(dir, ['rev-parse', '--verify', 'FETCH_HEAD^{commit}'])).stdout.trim()
  }
  throw new CcciError('CCCI_REF_NOT_FOUND', `ref ${ref} does not exist in the recipe repository`, {
    evidence: [{ label: 'git fetch', text: fetched.stderr }],
    hint: 'check the branch, tag or commit name (tags look like 1.2.0+3.4.5)',
  })
}

/** Checks out a commit or tag (detached, forced, like abra's own checkout). */
export async function checkout(dir: string, commitish: string): Promise<void> {
  await git(dir, ['checkout', '--quiet', '--force', '--detach', commitish, '--'])
}

export async function headCommit(dir: string): Promise<string> {
  return (await git(dir, ['rev-parse', 'HEAD'])).stdout.trim()
}

/** True when the working tree has changes to tracked or untracked files. */
export async function isDirty(dir: string): Promise<boolean> {
  return (await git(dir, ['status', '--porcelain'])).stdout.trim() !== ''
}

/**
 * Every tag with its kind (annotated tags are `tag` objects, lightweight ones `commit`); with
 * `mergedInto`, only the tags whose commit is in that commit's history.
 */
export async function listTags(
  dir: string,
  options: { mergedInto?: string } = {},
): Promise<{ name: string; annotated: boolean }[]> {
  const merged = options.mergedInto === undefined ? [] : [`--merged=${options.mergedInto}`]
  const out = (
    await git(dir, [
      'for-each-ref',
      ...merged,
      'refs/tags',
      '--format=%(refname:strip=2) %(objecttype)',
    ])
  ).stdout
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name = '', kind = ''] = line.split(' ')
      return { name, annotated: kind === 'tag' }
    })
}

/** Tags that point at a commit. */
export async function tagsAt(dir: string, commit: string): Promise<string[]> {
  const out = (await git(dir, ['tag', '--points-at', commit])).stdout
  return out.split('\n').filter((line) => line.trim() !== '')
}

/** The content of a file at a commit, or undefined when it does not exist there. */
export async function showFile(
  dir: string,
  commit: string,
  path: string,
): Promise<string | undefined> {
  const result = await tryCommand('git', ['-C', dir, 'show', `${commit}:${path}`], {
    timeoutMs: 30_000,
    env: GIT_ENV,
  })
  return result.exitCode === 0 ? result.stdout : undefined
}

export async function initRepo(dir: string, branch = 'main'): Promise<void> {
  await git(dir, ['init', '--quiet', `--initial-branch=${branch}`])
}

export async function commitAll(dir: string, message: string, date?: string): Promise<string> {
  await git(dir, ['add', '--all'])
  const env =
    date === undefined ? GIT_ENV : { ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }
  await runCommand('git', ['-C', dir, 'commit', '--quiet', '--allow-empty', '-m', message], {
    timeoutMs: 60_000,
    env,
  })
  return headCommit(dir)
}

export async function tagAnnotated(dir: string, tag: string, message: string): Promise<void> {
  await git(dir, ['tag', '--annotate', '--message', message, '--', tag])
}

export async function tagLightweight(dir: string, tag: string): Promise<void> {
  await git(dir, ['tag', '--', tag])
}

/** Fetches every branch and tag from origin (tags forced, as abra does). */
export async function fetchAll(dir: string): Promise<void> {
  await git(
    dir,
    [
      'fetch',
      '--quiet',
      '--force',
      '--tags',
      '--prune',
      'origin',
      '+refs/heads/*:refs/remotes/origin/*',
    ],
    300_000,
    'check that the recipe source is reachable',
  )
  await tryCommand('git', ['-C', dir, 'remote', 'set-head', 'origin', '--auto'], {
    timeoutMs: 60_000,
    env: GIT_ENV,
  })
}

/** Files under `path` at a commit (recursive, relative to the repository root). */
export async function listTreeFiles(dir: string, commit: string, path: string): Promise<string[]> {
  const result = await tryCommand(
    'git',
    ['-C', dir, 'ls-tree', '-r', '--name-only', commit, '--', path],
    {
      timeoutMs: 30_000,
      env: GIT_ENV,
    },
  )
  return result.exitCode === 0 ? result.stdout.split('\n').filter((line) => line !== '') : []
}

/** The bytes of a file at a commit. */
export async function showFileBuffer(dir: string, commit: string, path: string): Promise<Buffer> {
  const result = await runCommand('git', ['-C', dir, 'cat-file', 'blob', `${commit}:${path}`], {
    timeoutMs: 30_000,
    env: GIT_ENV,
    binary: true,
  })
  return result.stdoutBuffer ?? Buffer.from(result.stdout)
}
