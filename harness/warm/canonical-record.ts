import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { CcciError } from '../errors.ts'
import { registryFile, warmRoot } from './warm-paths.ts'

/** What the warm registry knows of one recipe's canonical deployment. */
export const CanonicalRecordSchema = z.strictObject({
  recipe: z.string().min(1),
  domain: z.string().min(1),
  /** The published version the known-good snapshot holds (or the one a failed seed tried). */
  version: z.string().min(1),
  commit: z.string().min(1),
  /** ok: the known-good is usable; failed: seeding it failed and there is none yet. */
  status: z.enum(['ok', 'failed']),
  ts: z.string().min(1),
})

export type CanonicalRecord = z.infer<typeof CanonicalRecordSchema>

/** The record of one recipe, or undefined when it has no canonical. */
export function readCanonical(home: string, recipe: string): CanonicalRecord | undefined {
  const file = registryFile(home, recipe)
  if (!existsSync(file)) {
    return undefined
  }
  const parsed = CanonicalRecordSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  if (!parsed.success) {
    throw new CcciError('CCCI_WARM_REGISTRY', `${file} is not a canonical record`, {
      evidence: [{ label: 'problem', text: z.prettifyError(parsed.error) }],
      hint: `remove ${file}; the next sweep seeds the canonical again`,
    })
  }
  return parsed.data
}

/** Every recipe's record (the registry), ordered by recipe. */
export function readRegistry(home: string): CanonicalRecord[] {
  const root = warmRoot(home)
  if (!existsSync(root)) {
    return []
  }
  return readdirSync(root)
    .sort()
    .map((recipe) => readCanonical(home, recipe))
    .filter((record): record is CanonicalRecord => record !== undefined)
}

/** Replaces a recipe's record atomically (written aside, then renamed). */
export function writeCanonical(home: string, record: CanonicalRecord): void {
  const file = registryFile(home, record.recipe)
  mkdirSync(dirname(file), { recursive: true })
  const partial = `${file}.partial-${process.pid}`
  writeFileSync(partial, `${JSON.stringify(CanonicalRecordSchema.parse(record), null, 2)}\n`)
  renameSync(partial, file)
}
