/** A file of the bundle before the size budget: its path in the bundle and its text. */
export interface BundleFile {
  path: string
  content: string
  /** Which end a truncation keeps: the tail of a log, the head of anything else. */
  keep: 'head' | 'tail'
}

/** A file as it is written: possibly truncated (and saying so), or left out. */
export interface BudgetedFile {
  path: string
  content: string
  /** Set when the file was cut or left out: what the index says about it. */
  note: string | undefined
  omitted: boolean
}

export interface SizeLimits {
  /** All files together, in bytes. */
  totalBytes: number
  /** Any one file, in bytes. */
  fileBytes: number
}

/** 5 MiB for the whole bundle (its index included), 1 MiB for any one file. */
export const DEFAULT_LIMITS: SizeLimits = { totalBytes: 5 * 1024 * 1024, fileBytes: 1024 * 1024 }

/** Below this, a truncated file would say nothing useful: it is left out instead. */
const MIN_USEFUL_BYTES = 512

function truncate(file: BundleFile, size: number, cap: number): string {
  const bytes = Buffer.from(file.content, 'utf8')
  const marker = (kept: number) =>
    `[truncated: kept the ${file.keep === 'tail' ? 'last' : 'first'} ${kept} of ${size} bytes to stay within the diagnostics size cap]`
  // The marker's own length, with room for the digits of any kept count.
  const room = cap - Buffer.byteLength(marker(size)) - 1
  if (file.keep === 'tail') {
    let start = bytes.length - room
    const newline = bytes.indexOf(0x0a, start)
    start = newline >= 0 && newline < bytes.length - 1 ? newline + 1 : start
    const kept = bytes.subarray(start)
    return `${marker(kept.length)}\n${kept.toString('utf8')}`
  }
  let end = room
  const newline = bytes.lastIndexOf(0x0a, end - 1)
  end = newline > 0 ? newline + 1 : end
  const kept = bytes.subarray(0, end)
  return `${kept.toString('utf8')}${kept.at(-1) === 0x0a ? '' : '\n'}${marker(kept.length)}`
}

/**
 * Fits the files, taken in order of importance, into the limits: each file at most
 * `fileBytes`, all of them at most `totalBytes`. A file that does not fit is cut (keeping its
 * head, or its tail for a log) and says so in its first or last line; once too little is left,
 * files are left out, and the note says so.
 */
export function fitToBudget(files: readonly BundleFile[], limits: SizeLimits): BudgetedFile[] {
  let remaining = limits.totalBytes
  return files.map((file) => {
    const size = Buffer.byteLength(file.content, 'utf8')
    const cap = Math.min(limits.fileBytes, remaining)
    if (size <= cap) {
      remaining -= size
      return { path: file.path, content: file.content, note: undefined, omitted: false }
    }
    if (cap < MIN_USEFUL_BYTES) {
      return {
        path: file.path,
        content: '',
        note: `left out (${size} bytes): the diagnostics size cap of ${limits.totalBytes} bytes was reached`,
        omitted: true,
      }
    }
    const content = truncate(file, size, cap)
    remaining -= Buffer.byteLength(content, 'utf8')
    return {
      path: file.path,
      content,
      note: `truncated from ${size} bytes to ${Buffer.byteLength(content, 'utf8')} (${file.keep === 'tail' ? 'the last lines kept' : 'the first part kept'})`,
      omitted: false,
    }
  })
}
