import { createReadStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { extract, pack } from 'tar-stream'

/** One entry of a tar archive built in memory. */
export type TarEntry =
  | { type: 'file'; name: string; content: Buffer | string; mode?: number }
  | { type: 'directory'; name: string; mode?: number }
  | { type: 'symlink'; name: string; target: string }

/** A tar stream holding `entries`, e.g. a Docker build context or files to copy into a container. */
export function packEntries(entries: readonly TarEntry[]): NodeJS.ReadableStream {
  const archive = pack()
  for (const entry of entries) {
    if (entry.type === 'file') {
      archive.entry({ name: entry.name, mode: entry.mode ?? 0o644 }, entry.content)
    } else if (entry.type === 'directory') {
      archive.entry({ name: entry.name, type: 'directory', mode: entry.mode ?? 0o755 })
    } else {
      archive.entry({ name: entry.name, type: 'symlink', linkname: entry.target })
    }
  }
  archive.finalize()
  return archive as unknown as NodeJS.ReadableStream
}

export interface TarListing {
  name: string
  type: string
  size: number
}

/**
 * Lists the entries of a gzip'd tar file (directory names without their trailing `/`). Rejects
 * when the file is not a complete gzip'd tar, so it doubles as an integrity check.
 */
export async function listTarGz(path: string): Promise<TarListing[]> {
  const entries: TarListing[] = []
  const extractor = extract()
  extractor.on('entry', (header, body, next) => {
    const type = header.type ?? 'file'
    const name = type === 'directory' ? header.name.replace(/\/+$/, '') : header.name
    entries.push({ name, type, size: header.size ?? 0 })
    body.on('end', () => next())
    body.resume()
  })
  await pipeline(createReadStream(path), createGunzip(), extractor)
  return entries
}

/** The first entry of a tar stream (as `docker cp` of one path gives it). */
export interface TarFirstEntry {
  type: string
  /** The content of a regular file; undefined for other entry types. */
  content: Buffer | undefined
}

/**
 * Reads the first entry of a tar stream, a regular file's content at most `maxBytes` long (a
 * longer one rejects: nothing unbounded is buffered). Undefined for an empty archive.
 */
export async function readFirstEntry(
  stream: NodeJS.ReadableStream,
  maxBytes: number,
): Promise<TarFirstEntry | undefined> {
  let first: TarFirstEntry | undefined
  let tooLarge: string | undefined
  const extractor = extract()
  extractor.on('entry', (header, body, next) => {
    const type = header.type ?? 'file'
    const chunks: Buffer[] = []
    let size = 0
    const keep = first === undefined && type === 'file'
    if (first === undefined && (header.size ?? 0) > maxBytes) {
      tooLarge = `${header.name} is ${header.size} bytes, more than the ${maxBytes} read`
    }
    body.on('data', (chunk: unknown) => {
      size += (chunk as Buffer).length
      if (keep && tooLarge === undefined && size <= maxBytes) {
        chunks.push(chunk as Buffer)
      }
    })
    body.on('end', () => {
      first ??= { type, content: keep ? Buffer.concat(chunks) : undefined }
      next()
    })
  })
  await pipeline(stream, extractor)
  if (tooLarge !== undefined) {
    throw new Error(tooLarge)
  }
  return first
}
