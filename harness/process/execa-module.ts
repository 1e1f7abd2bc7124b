import { createRequire } from 'node:module'
import type * as Execa from 'execa'

let loaded: typeof Execa | undefined

/**
 * execa, loaded on first use (about a tenth of a second): every tier worker loads the harness, and
 * most of them never start a command. Synchronous (`require` of an ES module, Node >= 22.12), for
 * `startCommand`, which returns its handle at once.
 */
export function execaModule(): typeof Execa {
  loaded ??= createRequire(import.meta.url)('execa') as typeof Execa
  return loaded
}
