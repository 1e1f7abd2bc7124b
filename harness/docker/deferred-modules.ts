import Module, { createRequire } from 'node:module'

/**
 * What a module exports, as far as its dependents use it before calling into it: an object whose
 * members are read only inside functions, or a function.
 */
export type Shape = 'object' | 'function'

/**
 * Makes `request` (as `from` requires it) load on first use instead of when its dependent loads:
 * a stand-in takes its place in the CommonJS cache and loads the real module, which replaces it,
 * the first time a member is read or it is called. For dependencies a library requires eagerly and
 * cc-ci rarely or never uses. Nothing happens when the module is loaded already, or cannot be
 * found from `from` (a library that changed its layout: then it loads as it always did).
 */
export function deferRequire(from: string, request: string, shape: Shape): void {
  const load = createRequire(from)
  let file: string
  try {
    file = load.resolve(request)
  } catch {
    return
  }
  const cache = load.cache
  if (cache[file] !== undefined) {
    return
  }
  let real: Record<PropertyKey, unknown> | undefined
  const loaded = (): Record<PropertyKey, unknown> => {
    if (real === undefined) {
      if (cache[file] === standIn) {
        delete cache[file]
      }
      real = load(request) as Record<PropertyKey, unknown>
    }
    return real
  }
  const standIn = new Module(file)
  standIn.filename = file
  standIn.loaded = true
  standIn.exports =
    shape === 'function'
      ? (...args: unknown[]) => (loaded() as unknown as (...a: unknown[]) => unknown)(...args)
      : new Proxy(
          {},
          { get: (_target, key) => loaded()[key], has: (_target, key) => key in loaded() },
        )
  cache[file] = standIn
}
