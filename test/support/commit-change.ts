import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CcciError } from '../../harness/errors.ts'
import { commitAll } from '../../harness/git/index.ts'

/** Commits a change on top of a built fixture repository: replaced text, written and removed files (a PR's head). */
export async function commitChange(
  repo: string,
  change: {
    message: string
    replace?: Record<string, [string, string][]>
    remove?: string[]
    write?: Record<string, string>
  },
): Promise<string> {
  for (const [file, pairs] of Object.entries(change.replace ?? {})) {
    const path = join(repo, file)
    let text = readFileSync(path, 'utf8')
    for (const [from, to] of pairs) {
      if (!text.includes(from)) {
        throw new CcciError('CCCI_FIXTURE', `"${from}" is not in ${file}`)
      }
      text = text.replaceAll(from, to)
    }
    writeFileSync(path, text)
  }
  for (const [file, content] of Object.entries(change.write ?? {})) {
    mkdirSync(join(repo, file, '..'), { recursive: true })
    writeFileSync(join(repo, file), content)
  }
  for (const file of change.remove ?? []) {
    rmSync(join(repo, file), { recursive: true, force: true })
  }
  return commitAll(repo, change.message)
}
