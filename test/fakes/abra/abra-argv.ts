/**
 * The abra command lines the fake accepts: commands, their documented flags and argument counts
 * (global flags, app and recipe commands, backups; the flag spellings are listed as UNCONFIRMED
 * in docs/drivers.md).
 * Anything else is refused the way cobra refuses it, so a driver that passes a flag abra does
 * not document fails its tests here instead of on the CI host.
 */

/** One flag: `-s` / `--server`, with or without a value. */
export interface FlagSpec {
  short?: string
  long: string
  /** Takes a value (`--server x`, `--server=x`, `-s x`). */
  value?: boolean
}

/** One abra command: its words, arguments and flags. */
export interface CommandSpec {
  /** e.g. `['app', 'secret', 'generate']`. */
  path: string[]
  /** Other spellings of the last word (cobra aliases), e.g. `rm` for `remove`. */
  aliases?: string[]
  /** Positional arguments allowed: [min, max]. */
  args: [number, number]
  flags: FlagSpec[]
  /** Words after `--` are passed through as arguments (`app run`). */
  passThrough?: boolean
  /** abra would prompt here without `-n/--no-input`: the fake refuses, the CI would hang. */
  prompts?: boolean
}

/** Every command takes these. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { short: 'd', long: 'debug' },
  { short: 'n', long: 'no-input' },
  { short: 'o', long: 'offline' },
  { short: 'h', long: 'help' },
]

const MANY = Number.MAX_SAFE_INTEGER

/** The commands the drivers use, backups included. */
export const ABRA_COMMANDS: CommandSpec[] = [
  {
    path: ['app', 'new'],
    args: [1, 2],
    prompts: true,
    flags: [
      { short: 'D', long: 'domain', value: true },
      { short: 's', long: 'server', value: true },
      { short: 'S', long: 'secrets' },
      { short: 'P', long: 'pass' },
      { short: 'C', long: 'chaos' },
    ],
  },
  {
    path: ['app', 'secret', 'generate'],
    args: [1, 3],
    flags: [
      { short: 'a', long: 'all' },
      { short: 'P', long: 'pass' },
      { short: 'm', long: 'machine' },
    ],
  },
  {
    path: ['app', 'secret', 'insert'],
    args: [3, 4],
    flags: [
      { short: 'f', long: 'file' },
      { short: 't', long: 'trim' },
      { short: 'P', long: 'pass' },
    ],
  },
  {
    path: ['app', 'secret', 'remove'],
    aliases: ['rm'],
    args: [1, 2],
    prompts: true,
    flags: [
      { short: 'a', long: 'all' },
      { short: 'P', long: 'pass' },
    ],
  },
  {
    path: ['app', 'deploy'],
    args: [1, 2],
    prompts: true,
    flags: [
      { short: 'C', long: 'chaos' },
      { short: 'f', long: 'force' },
      { short: 'D', long: 'no-domain-checks' },
      { short: 'c', long: 'no-converge-checks' },
      { short: 'l', long: 'latest' },
      { short: 'U', long: 'show-unchanged' },
    ],
  },
  {
    path: ['app', 'undeploy'],
    args: [1, 1],
    prompts: true,
    flags: [{ short: 'p', long: 'prune' }],
  },
  {
    path: ['app', 'volume', 'remove'],
    aliases: ['rm'],
    args: [1, 2],
    prompts: true,
    flags: [{ short: 'f', long: 'force' }],
  },
  {
    path: ['app', 'ls'],
    aliases: ['list'],
    args: [0, 0],
    flags: [
      { short: 'S', long: 'status' },
      { short: 's', long: 'server', value: true },
      { short: 'r', long: 'recipe', value: true },
      { short: 'm', long: 'machine' },
    ],
  },
  {
    path: ['app', 'ps'],
    args: [1, 1],
    flags: [
      { short: 'm', long: 'machine' },
      { short: 'w', long: 'watch' },
    ],
  },
  {
    path: ['app', 'logs'],
    args: [1, 2],
    flags: [
      { short: 's', long: 'since', value: true },
      { short: 't', long: 'tail', value: true },
      { short: 'o', long: 'stdout' },
      { short: 'e', long: 'stderr' },
    ],
  },
  {
    path: ['app', 'run'],
    args: [2, MANY],
    passThrough: true,
    flags: [
      { short: 't', long: 'no-tty' },
      { short: 'u', long: 'user', value: true },
    ],
  },
  {
    path: ['app', 'backup', 'create'],
    args: [1, 1],
    flags: [{ short: 'r', long: 'retries', value: true }],
  },
  { path: ['app', 'backup', 'snapshots'], args: [1, 1], flags: [] },
  {
    path: ['app', 'backup', 'list'],
    aliases: ['ls'],
    args: [1, 1],
    flags: [{ short: 's', long: 'snapshot', value: true }],
  },
  {
    path: ['app', 'backup', 'download'],
    args: [1, 1],
    flags: [
      { short: 's', long: 'snapshot', value: true },
      { short: 'v', long: 'volumes' },
      { short: 'c', long: 'secrets' },
    ],
  },
  {
    path: ['app', 'restore'],
    args: [1, 1],
    flags: [
      { short: 's', long: 'snapshot', value: true },
      { short: 't', long: 'target', value: true },
    ],
  },
  { path: ['recipe', 'lint'], args: [1, 1], flags: [{ short: 'C', long: 'chaos' }] },
]

/** A command line the fake understands. */
export interface AbraCall {
  spec: CommandSpec
  /** The command's words, e.g. `app deploy`. */
  command: string
  args: string[]
  /** By long name: `true` for a boolean flag, the value otherwise (the last one given). */
  flags: Map<string, string | true>
}

/** A command line abra would refuse; `message` is what cobra says. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

function matchCommand(argv: readonly string[]): CommandSpec | undefined {
  return ABRA_COMMANDS.find((spec) =>
    spec.path.every((word, i) => {
      const given = argv[i]
      const last = i === spec.path.length - 1
      return given === word || (last && given !== undefined && spec.aliases?.includes(given))
    }),
  )
}

/** Parses an abra command line against the documented commands and flags, or throws UsageError. */
export function parseAbraArgv(argv: readonly string[]): AbraCall {
  const spec = matchCommand(argv)
  if (spec === undefined) {
    throw new UsageError(`unknown command "${argv.join(' ')}" for "abra"`)
  }
  const command = spec.path.join(' ')
  const known = [...GLOBAL_FLAGS, ...spec.flags]
  const byShort = new Map(known.flatMap((f) => (f.short === undefined ? [] : [[f.short, f]])))
  const byLong = new Map(known.map((f) => [f.long, f]))
  const flags = new Map<string, string | true>()
  const args: string[] = []
  const rest = argv.slice(spec.path.length)
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] ?? ''
    if (token === '--') {
      if (spec.passThrough !== true) {
        throw new UsageError(`"abra ${command}" takes no arguments after --`)
      }
      args.push(...rest.slice(i + 1))
      break
    }
    if (token.startsWith('--')) {
      const [name = '', inline] = token.slice(2).split(/=(.*)/s, 2)
      const flag = byLong.get(name)
      if (flag === undefined) {
        throw new UsageError(`unknown flag: --${name} for "abra ${command}"`)
      }
      if (flag.value === true) {
        const value = inline ?? rest[++i]
        if (value === undefined) {
          throw new UsageError(`flag needs an argument: --${name}`)
        }
        flags.set(flag.long, value)
      } else if (inline !== undefined) {
        throw new UsageError(`flag --${name} takes no value`)
      } else {
        flags.set(flag.long, true)
      }
      continue
    }
    if (token.startsWith('-') && token.length > 1) {
      // Short flags, possibly bundled (`-fn`); a value flag takes the rest or the next word.
      const letters = token.slice(1)
      for (let j = 0; j < letters.length; j++) {
        const letter = letters.charAt(j)
        const flag = byShort.get(letter)
        if (flag === undefined) {
          throw new UsageError(
            `unknown shorthand flag: '${letter}' in ${token} for "abra ${command}"`,
          )
        }
        if (flag.value === true) {
          const value = letters.slice(j + 1) || rest[++i]
          if (value === undefined || value === '') {
            throw new UsageError(`flag needs an argument: '${letter}' in -${letter}`)
          }
          flags.set(flag.long, value)
          break
        }
        flags.set(flag.long, true)
      }
      continue
    }
    args.push(token)
  }
  const [min, max] = spec.args
  if (args.length < min || args.length > max) {
    const wanted = min === max ? `${min}` : max === MANY ? `at least ${min}` : `${min} to ${max}`
    throw new UsageError(`"abra ${command}" accepts ${wanted} arg(s), received ${args.length}`)
  }
  if (spec.prompts === true && flags.get('no-input') !== true) {
    throw new UsageError(
      `"abra ${command}" would prompt for input: pass -n/--no-input (a CI has nobody to answer)`,
    )
  }
  return { spec, command, args, flags }
}
