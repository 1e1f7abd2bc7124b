/**
 * The `!testme` grammar, strict: a line that is exactly `!testme` or `!testme --quick` (up to
 * three spaces before, spaces or tabs between and after) outside a fenced code block. Anything
 * else is not a trigger: `!testmexyz`, other flags, quoted text (`> !testme`), indented code (four
 * spaces or a tab), text inside a fence, a body that is too long or holds control characters
 * (binary). A pure function: no I/O, never throws.
 */

/** A comment longer than this is ignored whole (a trigger is a short comment). */
export const MAX_TRIGGER_BODY = 10_000

export interface TriggerRequest {
  quick: boolean
}

const TRIGGER_LINE = /^ {0,3}!testme(?:[ \t]+(--quick))?[ \t]*$/
const FENCE = /^ {0,3}(`{3,}|~{3,})/
/** C0 controls except tab, LF and CR; DEL; U+FFFD (what invalid UTF-8 decodes to). */
// eslint-disable-next-line no-control-regex
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/

/** The trigger a comment body asks for, or undefined when it is not a trigger. */
export function parseTrigger(body: unknown): TriggerRequest | undefined {
  if (typeof body !== 'string' || body.length > MAX_TRIGGER_BODY || BINARY.test(body)) {
    return undefined
  }
  let fence: string | undefined
  let found: TriggerRequest | undefined
  for (const line of body.split(/\r\n|\n|\r/)) {
    const marker = FENCE.exec(line)?.[1]
    if (fence !== undefined) {
      // A fence closes with the same character, at least as long, and nothing after it.
      if (
        marker !== undefined &&
        marker[0] === fence[0] &&
        marker.length >= fence.length &&
        line.trim() === marker
      ) {
        fence = undefined
      }
      continue
    }
    if (marker !== undefined) {
      fence = marker
      continue
    }
    const match = TRIGGER_LINE.exec(line)
    if (match !== null) {
      // The first trigger line counts; a later plain `!testme` does not downgrade a quick one.
      found ??= { quick: match[1] !== undefined }
    }
  }
  return found
}
