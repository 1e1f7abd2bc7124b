import { existsSync, readFileSync } from 'node:fs'
import { isRecipeName } from '../recipe/recipe-name.ts'

/** `recipes/repo-local-approved.txt`: recipes whose own `tests/` may run on the CI host. */
export interface Allowlist {
  approved: Set<string>
  /** Lines that are not a plain recipe name (wildcards, paths, unicode...): never approve anything. */
  rejected: { line: number; text: string }[]
}

/** One recipe name per line; `#` starts a comment; no wildcards. Missing file: nothing approved. */
export function parseAllowlist(text: string): Allowlist {
  const approved = new Set<string>()
  const rejected: Allowlist['rejected'] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const entry = raw.replace(/#.*$/, '').trim()
    if (entry === '') {
      return
    }
    if (isRecipeName(entry)) {
      approved.add(entry)
    } else {
      rejected.push({ line: index + 1, text: raw })
    }
  })
  return { approved, rejected }
}

export function readAllowlist(file: string): Allowlist {
  return existsSync(file)
    ? parseAllowlist(readFileSync(file, 'utf8'))
    : { approved: new Set(), rejected: [] }
}

/** A line of an allowlist file that approves nothing, with where it is. */
export interface RejectedLine {
  file: string
  line: number
  text: string
}

/** The lines of these allowlist files that approve nothing (missing files have none). */
export function rejectedLines(files: readonly string[]): RejectedLine[] {
  return files.flatMap((file) =>
    readAllowlist(file).rejected.map((r) => ({ file, line: r.line, text: r.text })),
  )
}

/** One rejected line, for `ccci plan` and the run log. */
export function describeRejected(r: RejectedLine): string {
  return `${r.file}:${r.line}: ${JSON.stringify(r.text.trim())} approves nothing: a line holds one recipe name (lower-case letters, digits, - and _), no wildcards or paths`
}
