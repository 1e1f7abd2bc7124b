/**
 * Text for XML 1.0 attributes and elements. A test's failure message may hold terminal colours
 * (ESC sequences) or other control characters, which XML 1.0 forbids even escaped: parsers reject
 * the whole document. Those are removed; the five special characters are escaped.
 */

/* eslint-disable no-control-regex -- matching control characters is the point of this file */

/** ANSI escape sequences: CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL|ESC \`) and two-byte ones. */
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g

/**
 * Characters outside XML 1.0's `Char` production: C0 controls but TAB, LF and CR; lone
 * surrogates; U+FFFE and U+FFFF.
 */
const NOT_XML_CHAR =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

const ENTITIES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
}

/** Removes ANSI escape sequences (terminal colours in logs and failure messages). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
}

/** Removes ANSI escape sequences and characters XML 1.0 does not allow. */
export function xmlSafeText(text: string): string {
  return stripAnsi(text).replace(NOT_XML_CHAR, '')
}

/** Escapes text for an XML 1.0 attribute value or element content (invalid characters dropped). */
export function xmlText(text: string): string {
  return xmlSafeText(text).replace(/[<>&"']/g, (c) => ENTITIES[c] ?? c)
}
