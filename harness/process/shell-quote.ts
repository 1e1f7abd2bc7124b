/**
 * Single-quotes an argument for a POSIX shell (`sh -c`, `script -c`, a command line shown to a
 * reader) unless it only holds characters the shell leaves alone. The one shell quoting of cc-ci.
 */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
}

/** A command line as a reader could paste it into a shell. */
export function formatCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map(shellQuote).join(' ')
}
