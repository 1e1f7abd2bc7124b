import { describe, expect, test } from 'vitest'
import { CcciError } from '../../harness/errors.ts'
import {
  EnvSyntaxError,
  formatEnvValue,
  parseEnvFile,
  setEnvValue,
} from '../../harness/coop/env-file.ts'
import { BONFIRE_SAMPLE, thrown } from '../support/env-samples.ts'

describe('formatEnvValue', () => {
  test.each([
    ['', ''],
    ['v1', 'v1'],
    ['bonfire:2.0.1+1.0.6-social-amd64', 'bonfire:2.0.1+1.0.6-social-amd64'],
    ['compose.yml:compose.postgres.yml', 'compose.yml:compose.postgres.yml'],
    ['two words', "'two words'"],
    ['a#b', "'a#b'"],
    ['$HOME', "'$HOME'"],
    ['say "hi"', `'say "hi"'`],
    [', `www.example.com`', "', `www.example.com`'"],
    ["it's $5", `"it's \\$5"`],
    ['line1\nline2', '"line1\\nline2"'],
    ['back\\slash', "'back\\slash'"],
  ])('%j is written as %s', (value, written) => {
    expect(formatEnvValue(value)).toBe(written)
  })

  test.each([
    '',
    'plain',
    ' padded ',
    'a # b',
    '#start',
    "'",
    '"',
    '$A ${A} \\$A',
    'it\'s "quoted" and $dollar\\',
    'multi\nline\r\nvalue',
    'tab\there',
    '\\n literal',
  ])('round-trips %j through setEnvValue and parseEnvFile', (value) => {
    const text = setEnvValue('A=defined\n', 'X', value)
    expect(parseEnvFile(text).values.X).toBe(value)
  })
})

describe('setEnvValue', () => {
  test('replaces a value in place and leaves every other byte alone', () => {
    const text = setEnvValue(BONFIRE_SAMPLE, 'TYPE', 'bonfire:2.0.1+1.0.6-social-amd64')
    expect(text).toBe(
      BONFIRE_SAMPLE.replace('TYPE=bonfire\n', 'TYPE=bonfire:2.0.1+1.0.6-social-amd64\n'),
    )
  })

  test('keeps the trailing comment and its modifiers', () => {
    const text = setEnvValue(BONFIRE_SAMPLE, 'SECRET_SIGNING_SALT_VERSION', 'v2')
    expect(text).toContain('\nSECRET_SIGNING_SALT_VERSION=v2 # length=128\n')
    expect(parseEnvFile(text).modifiers.SECRET_SIGNING_SALT_VERSION).toEqual({ length: '128' })
  })

  test('replaces the last active assignment, the one that wins', () => {
    const text = setEnvValue(BONFIRE_SAMPLE, 'COMPOSE_FILE', 'compose.yml')
    expect(text).toContain('COMPOSE_FILE="compose.yml"\nCOMPOSE_FILE=compose.yml\n')
    expect(parseEnvFile(text).values.COMPOSE_FILE).toBe('compose.yml')
  })

  test('replaces a quoted value with a freshly formatted one', () => {
    expect(setEnvValue('A="old value" # c\n', 'A', 'new')).toBe('A=new # c\n')
    expect(setEnvValue("A='old'\n", 'A', 'new value')).toBe("A='new value'\n")
  })

  test('keeps an export prefix, indentation and blanks around =', () => {
    expect(setEnvValue('  export A =  old  # c\n', 'A', 'new')).toBe('  export A =  new  # c\n')
  })

  test('setting an empty value that has a comment keeps a blank before #', () => {
    expect(setEnvValue('A= # length=8\n', 'A', 'v1')).toBe('A=v1 # length=8\n')
    expect(setEnvValue('A=\n', 'A', 'v1')).toBe('A=v1\n')
    expect(setEnvValue('A=v1 # length=8\n', 'A', '')).toBe('A= # length=8\n')
  })

  test('a commented-out key is not touched; the key is appended', () => {
    const text = setEnvValue(BONFIRE_SAMPLE, 'EXTRA_DOMAINS', ', `www.x.example.com`')
    expect(text).toBe(`${BONFIRE_SAMPLE}EXTRA_DOMAINS=', \`www.x.example.com\`'\n`)
    expect(parseEnvFile(text).values.EXTRA_DOMAINS).toBe(', `www.x.example.com`')
  })

  test('appends to empty text and to text without a final newline', () => {
    expect(setEnvValue('', 'A', '1')).toBe('A=1\n')
    expect(setEnvValue('B=2', 'A', '1')).toBe('B=2\nA=1\n')
  })

  test('keeps CRLF line endings', () => {
    expect(setEnvValue('A=1\r\nB=2 # c\r\n', 'B', '3')).toBe('A=1\r\nB=3 # c\r\n')
    expect(setEnvValue('A=1\r\n', 'C', '3')).toBe('A=1\r\nC=3\r\n')
  })

  test('rejects an invalid key', () => {
    const error = thrown(() => setEnvValue('', '1BAD', 'x', { file: 'app.env' }))
    expect(error).toBeInstanceOf(CcciError)
    expect(error).toMatchObject({
      code: 'CCCI_ENV_KEY',
      message: 'cannot set "1BAD" in app.env: not a valid env key',
    })
  })

  test('refuses to edit a malformed file, naming the line', () => {
    const error = thrown(() => setEnvValue('A=1\nBROKEN\n', 'A', '2', { file: 'app.env' }))
    expect(error).toBeInstanceOf(EnvSyntaxError)
    expect(error).toHaveProperty(
      'message',
      'app.env:2: missing "=" in "BROKEN"; expected KEY=value',
    )
  })
})
