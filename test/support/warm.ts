import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadSettings } from '../../harness/config/settings.ts'
import { createLogger } from '../../harness/log.ts'
import { tryCommand } from '../../harness/process/index.ts'
import { readKnownGood } from '../../harness/warm/known-good.ts'
import { removeCanonical } from '../../harness/warm/remove-canonical.ts'
import type { SweepRow } from '../../harness/warm/sweep.ts'
import { CANONICAL_MARKER } from '../../harness/warm/promote.ts'
import { REPO_ROOT } from './fixtures.ts'
import { readTarGz } from './read-tar-gz.ts'

/** `./ccci sweep --json` as the nightly timer runs it: its exit code, output, and report rows. */
export async function runSweep(
  recipeDirs: string[],
  recipe: string,
): Promise<{ code: number; output: string; rows: SweepRow[] }> {
  const run = await tryCommand(
    'bash',
    [join(REPO_ROOT, 'ccci'), 'sweep', '--recipe', recipe, '--json'],
    {
      cwd: REPO_ROOT,
      timeoutMs: 600_000,
      env: { ...process.env, CCCI_RECIPE_DIRS: recipeDirs.join(':'), FORCE_COLOR: '0' },
    },
  )
  // The report is the last thing printed: a JSON array opening on a line of its own.
  const start = [...run.stdout.matchAll(/^\[$/gm)].at(-1)?.index
  const rows = start === undefined ? [] : (JSON.parse(run.stdout.slice(start)) as SweepRow[])
  return { code: run.exitCode, output: run.stdout + run.stderr, rows }
}

/** sha256 of every file of the recipe's known-good snapshot, by name: to prove it unchanged. */
export async function knownGoodDigest(recipe: string): Promise<Record<string, string>> {
  const snapshot = await readKnownGood(loadSettings().home, recipe)
  if (snapshot === undefined) {
    return {}
  }
  return Object.fromEntries(
    readdirSync(snapshot.dir)
      .sort()
      .map((name) => [
        `${snapshot.id}/${name}`,
        createHash('sha256')
          .update(readFileSync(join(snapshot.dir, name)))
          .digest('hex'),
      ]),
  )
}

/** The canonical's data marker as its known-good snapshot holds it (undefined: none). */
export async function knownGoodMarker(recipe: string): Promise<string | undefined> {
  const snapshot = await readKnownGood(loadSettings().home, recipe)
  const first = snapshot?.manifest.volumes[0]
  if (snapshot === undefined || first === undefined) {
    return undefined
  }
  const name = `${first.key}/${CANONICAL_MARKER}`
  const { contents } = await readTarGz(join(snapshot.dir, first.file), (n) => n === name)
  return contents.get(name)?.toString('utf8')
}

/** Removes a recipe's canonical, whatever state an earlier test run left it in. */
export async function forgetCanonical(recipe: string): Promise<void> {
  await removeCanonical(loadSettings(), recipe, createLogger('test'))
}
