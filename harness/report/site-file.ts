import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'

/** Content types of the files the site holds; anything else is served as plain text. */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
}

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'text/plain; charset=utf-8'
}

/**
 * The file under `root` a request path names, or undefined when it names none or tries to leave
 * it: percent-decoded once, `..`, `.`, empty and NUL-carrying segments refused, a folder means its
 * `index.html`. Pure: no file system access.
 */
export function sitePathOf(root: string, urlPath: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) {
    return undefined
  }
  const segments = decoded.slice(1).split('/')
  const folder = segments.at(-1) === ''
  const parts = folder ? segments.slice(0, -1) : segments
  if (parts.some((s) => s === '' || s === '.' || s === '..')) {
    return undefined
  }
  const base = resolve(root)
  const path = resolve(base, ...parts, ...(folder ? ['index.html'] : []))
  return path === base || path.startsWith(`${base}${sep}`) ? path : undefined
}

/**
 * Answers a GET or HEAD for the site in `root` (read-only): the file with its content type, a
 * folder's `index.html`, or 404. Symbolic links leading out of the site are refused.
 */
export function serveSiteFile(
  root: string,
  urlPath: string,
  res: ServerResponse,
  head: boolean,
): void {
  const notFound = () => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('not found\n')
  }
  let path = sitePathOf(root, urlPath)
  if (path === undefined || !existsSync(root) || !existsSync(path)) {
    notFound()
    return
  }
  if (statSync(path).isDirectory()) {
    path = join(path, 'index.html')
    if (!existsSync(path)) {
      notFound()
      return
    }
  }
  const real = realpathSync(path)
  const realRoot = realpathSync(root)
  if (!real.startsWith(`${realRoot}${sep}`) || !statSync(real).isFile()) {
    notFound()
    return
  }
  res.writeHead(200, {
    'content-type': contentTypeOf(real),
    'content-length': statSync(real).size,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'",
    'cache-control': 'no-cache',
  })
  if (head) {
    res.end()
    return
  }
  createReadStream(real)
    .on('error', () => res.destroy())
    .pipe(res)
}
