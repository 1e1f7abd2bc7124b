import { loadSettings } from '../config/settings.ts'
import { describeError } from '../errors.ts'
import { createLogger } from '../log.ts'
import { loadCommand, usage } from './commands.ts'

/** `./ccci <command> [...]`: the entry point the wrapper hands over to. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(await usage())
    return name === undefined ? 2 : 0
  }
  const command = await loadCommand(name)
  if (command === undefined) {
    process.stderr.write(`ccci: unknown command "${name}"\n\n${await usage()}`)
    return 2
  }
  return command.run(rest, { settings: loadSettings(), log: createLogger() })
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`ccci: error: ${describeError(error)}\n`)
    process.exitCode = 1
  },
)
