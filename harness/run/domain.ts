import { createHash } from 'node:crypto'
import { CcciError } from '../errors.ts'

/**
 * The per-run domain `<recipe[:4]>-<6 hex of sha(recipe|pr|ref[|src])>.<suffix>`: short, so swarm
 * names `<stack>_<secret>_<version>` stay within 64 characters. The source, when given, keeps two
 * forks' pull requests of the same number apart.
 */
export function runDomain(
  recipe: string,
  pr: string,
  ref: string,
  suffix: string,
  src?: string,
): string {
  const key = src === undefined ? `${recipe}|${pr}|${ref}` : `${recipe}|${pr}|${ref}|${src}`
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 6)
  const label = recipe
    .slice(0, 4)
    .replace(/[^a-z0-9]/g, 'x')
    .replace(/^-|-$/g, 'x')
  return `${label}-${hash}.${suffix}`
}

/** abra's stack name: the domain with dots as underscores. */
export function stackName(domain: string): string {
  return domain.replaceAll('.', '_')
}

/** `<label>-<first label of domain>.<rest>`: a subdomain flattened so `*.<suffix>` still covers it. */
export function siblingDomain(domain: string, label: string): string {
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label)) {
    throw new CcciError('CCCI_BAD_LABEL', `not a DNS label: ${JSON.stringify(label)}`, {
      hint: 'use lower-case letters, digits and -, e.g. sibling("auth")',
    })
  }
  const dot = domain.indexOf('.')
  return `${label}-${domain.slice(0, dot)}${domain.slice(dot)}`
}
