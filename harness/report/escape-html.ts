/* eslint-disable no-control-regex -- removing control characters is the point of this file */
import { redact } from '../redaction/redact.ts'
import { stripAnsi } from '../results/xml-text.ts'

const ENTITIES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Control characters HTML cannot show, but TAB, LF and CR. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/**
 * Text for HTML element content or a quoted attribute value: redacted against every known secret
 * value first, terminal escapes and control characters dropped, the five special characters
 * escaped. Every value a page shows goes through this function.
 */
export function escapeHtml(text: string | number | null | undefined): string {
  if (text === null || text === undefined) {
    return ''
  }
  return stripAnsi(redact(String(text)))
    .replace(CONTROL, '')
    .replace(/[<>&"']/g, (c) => ENTITIES[c] ?? c)
}

/**
 * A relative URL for an `href`/`src`: each path segment percent-encoded, so a name with `?`, `#`
 * or a space stays a path, then escaped for the attribute.
 */
export function hrefOf(...segments: string[]): string {
  return escapeHtml(
    segments
      .flatMap((s) => s.split('/'))
      .map((s) => (s === '..' || s === '.' || s === '' ? s : encodeURIComponent(s)))
      .join('/'),
  )
}
