import type { Command } from './command.ts'
import { runVitest } from './vitest-cli.ts'

export const vitestCommand: Command = {
  summary:
    'the contract itself, with the Node cc-ci needs: `ccci vitest run --project <recipe>` is `vitest run --project <recipe>`',
  usage: 'vitest [vitest args...]',
  run(args, { settings }) {
    return runVitest(settings, args)
  },
}
