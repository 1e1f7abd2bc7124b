import { groupBy, uniqueSorted } from './text-order.ts'

/** Traefik router rules, parsed into the host and path-prefix combinations they match. */

export interface RuleMatch {
  hosts: string[]
  pathPrefixes: string[]
}

/** The outcome of parsing one router rule. */
export type ParsedRule = { ok: true; matches: RuleMatch[] } | { ok: false; message: string }

/** Entry points that mean HTTPS in the Co-op Cloud Traefik recipe and in Traefik's docs. */
type RuleNode =
  | { kind: 'call'; name: string; args: string[] }
  | { kind: 'and' | 'or'; left: RuleNode; right: RuleNode }
  | { kind: 'not'; operand: RuleNode }

type Call = Extract<RuleNode, { kind: 'call' }>

type Token =
  | { kind: 'ident'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: '(' | ')' | ',' | '&&' | '||' | '!' | 'end'; at: number }

/** Thrown inside the parser; `parseRule` turns it into a message. */
class RuleError extends Error {
  readonly syntax: boolean
  constructor(message: string, syntax: boolean) {
    super(message)
    this.syntax = syntax
  }
}

const MAX_TERMS = 64

/**
 * Parses a Traefik v2/v3 router rule into the host/path combinations it matches. Supports
 * `Host` (one or more arguments, v2 style), `HostHeader`, `PathPrefix`, `&&`, `||` and
 * parentheses; anything else (`HostRegexp`, `Path`, `Headers`, `!`...) is reported as
 * unsupported, because routing it more broadly than Traefik would could shadow other routes.
 */
export function parseRule(rule: string): ParsedRule {
  try {
    const node = parseTokens(tokenize(rule))
    return { ok: true, matches: mergeMatches(disjunctiveTerms(node).flatMap(termMatch)) }
  } catch (error) {
    if (!(error instanceof RuleError)) {
      throw error
    }
    const prefix = error.syntax ? 'cannot parse rule' : 'unsupported rule'
    return { ok: false, message: `${prefix} ${JSON.stringify(rule)}: ${error.message}` }
  }
}

function tokenize(rule: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < rule.length) {
    const c = rule.charAt(i)
    if (/\s/.test(c)) {
      i += 1
    } else if (rule.startsWith('&&', i) || rule.startsWith('||', i)) {
      tokens.push({ kind: rule.startsWith('&&', i) ? '&&' : '||', at: i })
      i += 2
    } else if (c === '(' || c === ')' || c === ',' || c === '!') {
      tokens.push({ kind: c, at: i })
      i += 1
    } else if (c === '`' || c === '"') {
      const end = rule.indexOf(c, i + 1)
      if (end < 0) {
        throw new RuleError(`unterminated ${c}-quoted string at offset ${i}`, true)
      }
      tokens.push({ kind: 'string', text: rule.slice(i + 1, end), at: i })
      i = end + 1
    } else if (/[A-Za-z]/.test(c)) {
      const ident = /^[A-Za-z][A-Za-z0-9]*/.exec(rule.slice(i))?.[0] ?? c
      tokens.push({ kind: 'ident', text: ident, at: i })
      i += ident.length
    } else {
      throw new RuleError(`unexpected ${JSON.stringify(c)} at offset ${i}`, true)
    }
  }
  tokens.push({ kind: 'end', at: rule.length })
  return tokens
}

/** Recursive descent: or := and ('||' and)*; and := unary ('&&' unary)*; unary := '!' unary | '(' or ')' | call. */
function parseTokens(tokens: readonly Token[]): RuleNode {
  let pos = 0
  const peek = (): Token => tokens[pos] ?? { kind: 'end', at: -1 }
  const next = (): Token => {
    const token = peek()
    pos += 1
    return token
  }
  const expect = (kind: Token['kind']): Token => {
    const token = next()
    if (token.kind !== kind) {
      throw new RuleError(
        `expected ${describe(kind)} at offset ${token.at}, found ${describe(token.kind)}`,
        true,
      )
    }
    return token
  }
  const binary = (kind: '&&' | '||', operand: () => RuleNode): RuleNode => {
    let left = operand()
    while (peek().kind === kind) {
      next()
      left = { kind: kind === '&&' ? 'and' : 'or', left, right: operand() }
    }
    return left
  }
  const unary = (): RuleNode => {
    const token = peek()
    if (token.kind === '!') {
      next()
      return { kind: 'not', operand: unary() }
    }
    if (token.kind === '(') {
      next()
      const inner = or()
      expect(')')
      return inner
    }
    return call()
  }
  const call = (): RuleNode => {
    const name = expect('ident')
    expect('(')
    const args: string[] = []
    if (peek().kind !== ')') {
      args.push(stringArg(expect('string')))
      while (peek().kind === ',') {
        next()
        args.push(stringArg(expect('string')))
      }
    }
    expect(')')
    return { kind: 'call', name: name.kind === 'ident' ? name.text : '', args }
  }
  const or = (): RuleNode => binary('||', () => binary('&&', unary))
  const node = or()
  expect('end')
  return node
}

function stringArg(token: Token): string {
  return token.kind === 'string' ? token.text : ''
}

function describe(kind: Token['kind']): string {
  const names: Partial<Record<Token['kind'], string>> = {
    ident: 'a matcher name',
    string: 'a quoted value',
    end: 'end of rule',
  }
  return names[kind] ?? `"${kind}"`
}

/** The rule as an OR of ANDs of matcher calls. */
function disjunctiveTerms(node: RuleNode): Call[][] {
  switch (node.kind) {
    case 'call':
      return [[node]]
    case 'not':
      throw new RuleError('negation (!) is not supported', false)
    case 'or':
      return capTerms([...disjunctiveTerms(node.left), ...disjunctiveTerms(node.right)])
    case 'and': {
      const right = disjunctiveTerms(node.right)
      return capTerms(disjunctiveTerms(node.left).flatMap((l) => right.map((r) => [...l, ...r])))
    }
  }
}

function capTerms(terms: Call[][]): Call[][] {
  if (terms.length > MAX_TERMS) {
    throw new RuleError(`more than ${MAX_TERMS} alternatives`, false)
  }
  return terms
}

/** The hosts and path prefixes one AND-term matches; none when its Host() matchers conflict. */
function termMatch(term: readonly Call[]): RuleMatch[] {
  let hosts: string[] | undefined
  let pathPrefixes: string[] = []
  for (const c of term) {
    const name = c.name.toLowerCase()
    if (name === 'host' || name === 'hostheader') {
      const values = hostArgs(c)
      hosts = hosts === undefined ? values : hosts.filter((h) => values.includes(h))
    } else if (name === 'pathprefix') {
      if (pathPrefixes.length > 0) {
        throw new RuleError('several PathPrefix() joined by && are not supported', false)
      }
      pathPrefixes = prefixArgs(c)
    } else if (name === 'hostregexp') {
      throw new RuleError('HostRegexp() is not supported; use Host()', false)
    } else {
      throw new RuleError(`${c.name}() is not supported (only Host, PathPrefix, && and ||)`, false)
    }
  }
  if (hosts === undefined) {
    throw new RuleError("an alternative has no Host(); cc-ci's proxy routes by host name", false)
  }
  return hosts.length === 0 ? [] : [{ hosts, pathPrefixes }]
}

function hostArgs(c: Call): string[] {
  if (c.args.length === 0 || c.args.some((a) => a.trim() === '')) {
    throw new RuleError(`${c.name}() needs non-empty host names`, false)
  }
  return uniqueSorted(c.args.map((a) => a.trim().toLowerCase()))
}

function prefixArgs(c: Call): string[] {
  if (c.args.length === 0 || c.args.some((a) => !a.startsWith('/'))) {
    throw new RuleError(`${c.name}() needs paths starting with "/"`, false)
  }
  return uniqueSorted(c.args)
}

/**
 * Folds the alternatives into as few matches as possible: first the alternatives with the same
 * hosts (an alternative without a path prefix absorbs the others), then those with the same path
 * prefixes.
 */
function mergeMatches(matches: readonly RuleMatch[]): RuleMatch[] {
  if (matches.length === 0) {
    throw new RuleError('it can never match (its Host() matchers conflict)', false)
  }
  const byHosts = groupBy(matches, (m) => m.hosts.join(' ')).map((group): RuleMatch => ({
    hosts: group[0]?.hosts ?? [],
    pathPrefixes: group.some((m) => m.pathPrefixes.length === 0)
      ? []
      : uniqueSorted(group.flatMap((m) => m.pathPrefixes)),
  }))
  return groupBy(byHosts, (m) => m.pathPrefixes.join(' ')).map((group) => ({
    hosts: uniqueSorted(group.flatMap((m) => m.hosts)),
    pathPrefixes: group[0]?.pathPrefixes ?? [],
  }))
}
