/** One file of a run's results folder as the site publishes it. */
export interface PublishedFile {
  /** Relative to its folder (the results folder or the diagnostics folder), `/`-separated. */
  path: string
  /** Size on disk. */
  bytes: number
  /** The text the site shows (its tail when the file was too large); undefined: not text, not published. */
  text: string | undefined
  /** Only the last bytes are shown. */
  truncated: boolean
}

/** What the site found of one run's results folder. */
export interface RunFiles {
  /** The results folder still exists (the janitor prunes old ones). */
  present: boolean
  /** summary.md, junit.xml, result.json, diagnostics.txt: those present. */
  files: PublishedFile[]
  /** The run's diagnostics folder, file by file; empty without one. */
  diagnostics: PublishedFile[]
  /** Files of the diagnostics folder left out by the size bounds. */
  omitted: number
}

/** The files of a results folder the site copies, in this order. */
export const RESULT_FILES = ['summary.md', 'junit.xml', 'result.json', 'diagnostics.txt'] as const

/** A run, recipe or file name the site may use as a path segment (never `.`, `..` or a slash). */
export function safeSegment(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._+@-]*$/.test(name) && name.length <= 200
}

/** A relative path made of safe segments (a file inside the diagnostics folder). */
export function safeRelativePath(path: string): boolean {
  return path.split('/').every(safeSegment)
}

export function formatBytes(bytes: number): string {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
