import { z } from 'zod'

/**
 * One thing a run created, recorded (in the run's state file) before it is created: how to undo
 * it. The teardown unwinds these newest first; the janitor unwinds them for a run that died.
 */
export const UndoEntrySchema = z.object({
  kind: z.enum(['stack', 'volumes', 'secrets', 'proxy-routes', 'env-file']),
  /** Who registered it (a setup step or a tier), for the report. */
  by: z.string(),
})
export type UndoEntry = z.infer<typeof UndoEntrySchema>

/** What each undo is called in the teardown report. */
export const UNDO_STEP: Record<UndoEntry['kind'], string> = {
  stack: 'undeploy',
  volumes: 'volumes',
  secrets: 'secrets',
  'proxy-routes': 'proxy routes',
  'env-file': 'env file',
}
