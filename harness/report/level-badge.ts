import { escapeHtml } from './escape-html.ts'

/** The badge colour of a level, as the original Co-op Cloud CI and YunoHost's CI colour theirs. */
export function levelColour(level: number | undefined): string {
  if (level === undefined) {
    return '#6b6b6b' // no run yet: grey
  }
  if (level <= 0) {
    return '#c62828' // red
  }
  if (level === 1) {
    return '#b35900' // orange
  }
  if (level === 2) {
    return '#8a6d00' // dark yellow
  }
  if (level === 3) {
    return '#5c7a00' // yellow-green
  }
  if (level === 4) {
    return '#2e7d32' // green
  }
  return '#1b5e20' // bright green: 5/5
}

/** Approximate width of Verdana 11px text, as shields.io measures it (6-7 px a character). */
function textWidth(text: string): number {
  let width = 0
  for (const c of text) {
    width += /[ il.,:|'/!]/.test(c) ? 3.5 : /[mwMW]/.test(c) ? 10 : /[A-Z0-9]/.test(c) ? 7.5 : 6.5
  }
  return Math.ceil(width)
}

/** The badge's right-hand text. */
export function badgeMessage(level: number | undefined): string {
  return level === undefined ? 'no runs' : `level ${level}/5`
}

/**
 * A shields-style flat badge, `cc-ci | level 4/5`, coloured by level, as a standalone SVG file
 * (XML declaration-free, `role="img"`, a `<title>` and `aria-label` for screen readers). White
 * text on every colour above has a contrast of at least 4.5:1.
 */
export function levelBadge(level: number | undefined, label = 'cc-ci'): string {
  const message = badgeMessage(level)
  const pad = 10
  const left = textWidth(label) + pad
  const right = textWidth(message) + pad
  const width = left + right
  const colour = levelColour(level)
  const title = escapeHtml(`${label}: ${message}`)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" viewBox="0 0 ${width} 20" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<rect width="${left}" height="20" fill="#444444"/>`,
    `<rect x="${left}" width="${right}" height="20" fill="${colour}"/>`,
    `<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">`,
    `<text x="${left / 2}" y="14">${escapeHtml(label)}</text>`,
    `<text x="${left + right / 2}" y="14">${escapeHtml(message)}</text>`,
    `</g>`,
    `</svg>`,
    '',
  ].join('\n')
}
