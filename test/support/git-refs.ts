import { validateRef } from '../../harness/git/index.ts'
import { runCommand } from '../../harness/process/index.ts'

/** Deletes a tag of a fixture repository (a release that was withdrawn). */
export async function deleteTag(dir: string, tag: string): Promise<void> {
  await runCommand('git', ['-C', dir, 'tag', '--delete', '--', tag], { timeoutMs: 60_000 })
}

/** Points a ref (e.g. `refs/pull/1/head`, as forges publish pull requests) at a commit. */
export async function updateRef(dir: string, ref: string, commit: string): Promise<void> {
  await runCommand('git', ['-C', dir, 'update-ref', '--', validateRef(ref), commit], {
    timeoutMs: 60_000,
  })
}
