import type { Settings } from '../config/settings.ts'
import type { Logger } from '../log.ts'

export interface CommandContext {
  settings: Settings
  log: Logger
}

export interface Command {
  /** One line for `ccci help`. */
  summary: string
  /** Usage lines after the command name. */
  usage: string
  run(args: string[], context: CommandContext): Promise<number>
}
