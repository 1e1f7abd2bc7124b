import { describeError } from '../errors.ts'
import { readCanonical } from './canonical-record.ts'
import { readKnownGood } from './known-good.ts'
import { decideQuick, type QuickDecision } from './quick-plan.ts'

/**
 * Whether a run of the recipe asked to be quick would be quick now (the run's setup, and
 * `ccci plan --quick`): the registry record and the known-good, read and checked, decided by
 * `decideQuick`.
 */
export async function quickOutlook(
  home: string,
  recipe: string,
  enrolled: boolean,
  asked: boolean,
): Promise<QuickDecision> {
  if (!asked) {
    return { quick: false, why: undefined }
  }
  const record = enrolled ? readCanonical(home, recipe) : undefined
  const snapshot =
    record?.status === 'ok'
      ? await readKnownGood(home, recipe).then(
          (known) =>
            known === undefined
              ? { problem: 'there is no known-good snapshot' }
              : { version: known.manifest.recipeVersion },
          (error: unknown) => ({ problem: describeError(error) }),
        )
      : { problem: 'no canonical' }
  return decideQuick({ asked, enrolled, record, snapshot })
}
