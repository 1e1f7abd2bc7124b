import { ERROR_CODES } from './error-codes.ts'

/** docs/errors.md, generated from harness/error-codes.ts (checked for drift by a test). */
export function errorsDoc(): string {
  const rows = (prefix: string) =>
    Object.entries(ERROR_CODES)
      .filter(([code]) => code.startsWith(prefix))
      .map(([code, when]) => `| \`${code}\` | ${when} |`)
  return [
    '# Error codes',
    '',
    '<!-- Generated from harness/error-codes.ts by harness/errors-doc.ts;',
    '     `npx vitest run -c test/vitest.config.ts -u` updates it. -->',
    '',
    'Every error cc-ci raises prints its message, its evidence, its code in brackets (e.g.',
    '`[CCCI_HOST_NOT_READY]`) and a last line, "What to do:", with the next step. Match on the',
    'code, never on the message.',
    '',
    '| code | raised when |',
    '| --- | --- |',
    ...rows('CCCI_'),
    '',
    '## Benchmarks',
    '',
    'Raised by `npm run bench` (bench/).',
    '',
    '| code | raised when |',
    '| --- | --- |',
    ...rows('BENCH_'),
    '',
  ].join('\n')
}
