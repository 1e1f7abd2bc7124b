import { describe, expect, test } from 'vitest'
import { EnvSyntaxError, parseEnvFile } from '../../harness/coop/env-file.ts'
import {
  BONFIRE_OLD_SAMPLE,
  BONFIRE_SAMPLE,
  thrown,
  TRAEFIK_SAMPLE,
} from '../support/env-samples.ts'

function syntaxErrorOf(text: string, file = 'x.env'): EnvSyntaxError {
  const error = thrown(() => parseEnvFile(text, { file }))
  expect(error).toBeInstanceOf(EnvSyntaxError)
  return error as EnvSyntaxError
}

describe('parseEnvFile on real recipe samples', () => {
  test('BONFIRE: values in first-defined order, COMPOSE_FILE expanded from itself', () => {
    const env = parseEnvFile(BONFIRE_SAMPLE, { file: '.env.sample' })
    expect(Object.entries(env.values)).toEqual([
      ['TYPE', 'bonfire'],
      ['LETS_ENCRYPT_ENV', 'production'],
      ['DOMAIN', 'bonfire.example.com'],
      ['ENABLE_BACKUPS', 'true'],
      ['COMPOSE_FILE', 'compose.yml:compose.postgres.yml'],
      ['SECRET_POSTGRES_PASSWORD_VERSION', 'v1'],
      ['SECRET_SEEDS_PW_VERSION', 'v1'],
      ['SECRET_SECRET_KEY_BASE_VERSION', 'v1'],
      ['SECRET_SIGNING_SALT_VERSION', 'v1'],
    ])
  })

  test('BONFIRE: # length=128 becomes a modifier; commented-out keys are not keys', () => {
    const env = parseEnvFile(BONFIRE_SAMPLE)
    expect(env.modifiers).toEqual({
      SECRET_SECRET_KEY_BASE_VERSION: { length: '128' },
      SECRET_SIGNING_SALT_VERSION: { length: '128' },
    })
    expect(env.values).not.toHaveProperty('EXTRA_DOMAINS')
  })

  test('older BONFIRE sample: ${VAR} and $VAR expansion, quoted text, empty values', () => {
    const env = parseEnvFile(BONFIRE_OLD_SAMPLE)
    expect(env.values).toEqual({
      TYPE: 'bonfire',
      FLAVOUR: 'classic',
      APP_DOCKER_IMAGE: 'bonfirenetworks/bonfire:latest-classic',
      DB_DOCKER_IMAGE: 'postgres:12-alpine',
      DOMAIN: 'bonfire.example.com',
      INSTANCE_DESCRIPTION:
        'An instance of Bonfire, a federated app ecosystem for open and cooperative networks',
      SENTRY_DSN: '',
      SECRET_POSTGRES_PASSWORD_VERSION: 'v1',
      SECRET_SECRET_KEY_BASE_VERSION: 'v1',
      LETS_ENCRYPT_ENV: 'production',
      HOSTNAME: 'bonfire.example.com',
    })
    expect(env.modifiers).toEqual({ SECRET_SECRET_KEY_BASE_VERSION: { length: '128' } })
  })

  test('traefik: overlays that are only commented out leave COMPOSE_FILE undefined', () => {
    const env = parseEnvFile(TRAEFIK_SAMPLE)
    expect(Object.keys(env.values)).toEqual([
      'TYPE',
      'DOMAIN',
      'LETS_ENCRYPT_ENV',
      'LETS_ENCRYPT_EMAIL',
      'LOG_LEVEL',
    ])
    expect(env.modifiers).toEqual({})
  })
})

describe('parseEnvFile values', () => {
  test('empty and comment-only text gives an empty env', () => {
    expect(parseEnvFile('')).toEqual({ values: {}, modifiers: {} })
    expect(parseEnvFile('\n  \n# only a comment\n   # indented comment\n')).toEqual({
      values: {},
      modifiers: {},
    })
  })

  test('unquoted values keep inner blanks, drop outer blanks and a " #" comment', () => {
    const env = parseEnvFile('A=  two words  \nB=v1 # note\nC=abc#def\nD=\tx\t# tab comment\n')
    expect(env.values).toEqual({ A: 'two words', B: 'v1', C: 'abc#def', D: 'x' })
  })

  test('a value may contain = and : characters', () => {
    expect(parseEnvFile('URL=postgres://u:p@db/x?a=b').values.URL).toBe('postgres://u:p@db/x?a=b')
  })

  test('single-quoted values are literal', () => {
    const env = parseEnvFile(`A=x\nB='$A \${A} \\n # not a comment' # a comment`)
    expect(env.values.B).toBe('$A ${A} \\n # not a comment')
  })

  test('EXTRA_DOMAINS-style single-quoted value with backticks', () => {
    const env = parseEnvFile("EXTRA_DOMAINS=', `www.example.com`'")
    expect(env.values.EXTRA_DOMAINS).toBe(', `www.example.com`')
  })

  test('double-quoted values unescape \\n \\" \\\\ \\$ and expand variables', () => {
    const env = parseEnvFile('A=x\nB="1\\n2 \\"q\\" \\\\ \\$A $A ${A} # kept" # dropped')
    expect(env.values.B).toBe('1\n2 "q" \\ $A x x # kept')
  })

  test('unquoted values keep backslashes except before $', () => {
    expect(parseEnvFile('A=x\nB=C:\\dir\\n \\$A').values.B).toBe('C:\\dir\\n $A')
  })

  test('optional export prefix, indentation and blanks around = are tolerated', () => {
    const env = parseEnvFile('export A=1\n  export\tB=2\n  C =3\nexport=4\n')
    expect(env.values).toEqual({ A: '1', B: '2', C: '3', export: '4' })
  })

  test('CRLF line endings and a byte order mark are ignored', () => {
    const env = parseEnvFile('\uFEFFTYPE=app\r\nDOMAIN="a.example.com"\r\nX=1 # length=9\r\n')
    expect(env.values).toEqual({ TYPE: 'app', DOMAIN: 'a.example.com', X: '1' })
    expect(env.modifiers).toEqual({ X: { length: '9' } })
  })

  test('a key that looks like an Object.prototype member is an ordinary key', () => {
    const env = parseEnvFile('__proto__=x\nconstructor=y')
    expect(Object.hasOwn(env.values, '__proto__')).toBe(true)
    expect(env.values.constructor).toBe('y')
  })
})

describe('parseEnvFile expansion', () => {
  test('unknown or later-defined variables expand to the empty string', () => {
    const env = parseEnvFile('A=[$LATER][${NOPE}]\nLATER=x')
    expect(env.values.A).toBe('[][]')
  })

  test('the process environment is never consulted', () => {
    expect(parseEnvFile('A=$PATH$HOME').values.A).toBe('')
  })

  test('a $ not followed by a name is literal', () => {
    expect(parseEnvFile('A=cost $5, 100$ and $').values.A).toBe('cost $5, 100$ and $')
  })

  test('a name ends at the first character that cannot be part of it', () => {
    expect(parseEnvFile('A=x\nB=$A-$A.$A_y').values.B).toBe('x-x.')
  })

  test('${VAR:-default} and ${VAR-default}', () => {
    const env = parseEnvFile(
      [
        'EMPTY=',
        'SET=v',
        'A=${UNSET:-d1}',
        'B=${EMPTY:-d2}',
        'C=${SET:-d3}',
        'D=${UNSET-d4}',
        'E=${EMPTY-d5}',
        'F="${UNSET:-two words}"',
      ].join('\n'),
    )
    expect(env.values).toMatchObject({ A: 'd1', B: 'd2', C: 'v', D: 'd4', E: '', F: 'two words' })
  })

  test('${VAR:+alt} and ${VAR+alt}', () => {
    const env = parseEnvFile(
      ['EMPTY=', 'SET=v', 'A=${SET:+a}', 'B=${EMPTY:+b}', 'C=${EMPTY+c}', 'D=${UNSET+d}'].join(
        '\n',
      ),
    )
    expect(env.values).toMatchObject({ A: 'a', B: '', C: 'c', D: '' })
  })

  test('defaults may themselves contain expansions', () => {
    const env = parseEnvFile('B=b\nA=${UNSET:-${B}/$B/${ALSO_UNSET:-z}}')
    expect(env.values.A).toBe('b/b/z')
  })

  test('a repeated key expands from its previous value and the later value wins', () => {
    const env = parseEnvFile('CF=a.yml\nOTHER=1\nCF=$CF:b.yml\nCF="${CF}:c.yml"')
    expect(env.values).toEqual({ CF: 'a.yml:b.yml:c.yml', OTHER: '1' })
    expect(Object.keys(env.values)).toEqual(['CF', 'OTHER'])
  })
})

describe('parseEnvFile modifiers', () => {
  test('several modifiers in one comment, other words ignored', () => {
    const env = parseEnvFile(
      'SECRET_A_VERSION=v1 # length=64 charset=default,special\n' +
        'SECRET_B_VERSION=v2 #   generated: length=32   see README\n',
    )
    expect(env.modifiers).toEqual({
      SECRET_A_VERSION: { length: '64', charset: 'default,special' },
      SECRET_B_VERSION: { length: '32' },
    })
  })

  test('modifiers after a quoted value, with or without a blank before #', () => {
    const env = parseEnvFile('A="v1" # length=10\nB=\'v1\'# length=11')
    expect(env.modifiers).toEqual({ A: { length: '10' }, B: { length: '11' } })
  })

  test('a # without a blank before it is part of an unquoted value, not a modifier', () => {
    const env = parseEnvFile('A=v1#length=10')
    expect(env.values.A).toBe('v1#length=10')
    expect(env.modifiers).toEqual({})
  })

  test('an empty value may carry modifiers', () => {
    const env = parseEnvFile('A= # length=12')
    expect(env).toEqual({ values: { A: '' }, modifiers: { A: { length: '12' } } })
  })

  test('modifiers follow the winning (last) assignment of a key', () => {
    expect(parseEnvFile('A=v1 # length=10\nA=v2').modifiers).toEqual({})
    expect(parseEnvFile('A=v1\nA=v2 # length=20').modifiers).toEqual({ A: { length: '20' } })
  })

  test('a comment line holding modifiers belongs to no key', () => {
    expect(parseEnvFile('# length=10\nA=v1').modifiers).toEqual({})
  })
})

describe('parseEnvFile errors', () => {
  test('a line without = names the file and line and expects KEY=value', () => {
    const error = syntaxErrorOf('TYPE=app\n\nDOMAIN', 'servers/default/app.example.com.env')
    expect(error.code).toBe('CCCI_ENV_SYNTAX')
    expect(error.file).toBe('servers/default/app.example.com.env')
    expect(error.line).toBe(3)
    expect(error.message).toBe(
      'servers/default/app.example.com.env:3: missing "=" in "DOMAIN"; expected KEY=value',
    )
    expect(error.report()).toContain('--- servers/default/app.example.com.env line 3 ---\nDOMAIN')
    expect(error.hint).toContain('line 3 of servers/default/app.example.com.env')
  })

  test('export without an assignment is a missing =', () => {
    expect(syntaxErrorOf('export FOO').message).toBe(
      'x.env:1: missing "=" in "export FOO"; expected KEY=value',
    )
  })

  test.each([
    ['1ABC=x', '1ABC'],
    ['A B=x', 'A B'],
    ['A-B=x', 'A-B'],
    ['=x', ''],
    ['A.B=x', 'A.B'],
  ])('invalid key in %j', (line, key) => {
    const error = syntaxErrorOf(`OK=1\n${line}`)
    expect(error.line).toBe(2)
    expect(error.message).toBe(
      `x.env:2: invalid key "${key}"; expected KEY=value with KEY made of letters, digits and _, ` +
        'not starting with a digit',
    )
  })

  test('unterminated double quote', () => {
    const error = syntaxErrorOf('A="abc\nB=1')
    expect(error.line).toBe(1)
    expect(error.message).toBe(
      'x.env:1: unterminated double-quoted value; expected a closing " on the same line ' +
        '(multi-line values are not supported)',
    )
  })

  test('an escaped quote does not terminate a double-quoted value', () => {
    expect(syntaxErrorOf('A="abc\\"').message).toContain('unterminated double-quoted value')
  })

  test('unterminated single quote', () => {
    expect(syntaxErrorOf("A='abc").message).toContain(
      "x.env:1: unterminated single-quoted value; expected a closing ' on the same line",
    )
  })

  test('text after a closing quote', () => {
    expect(syntaxErrorOf('A="a" b').message).toBe(
      'x.env:1: unexpected text "b" after the closing "; expected only blanks or a # comment ' +
        'after a quoted value',
    )
  })

  test('unterminated ${', () => {
    const error = syntaxErrorOf('A=1\nB=${A')
    expect(error.line).toBe(2)
    expect(error.message).toContain('x.env:2: unterminated "${" in the value; expected ${VAR}')
  })

  test.each(['${A?err}', '${}', '${1}', '${A B}'])('unsupported expansion %s', (value) => {
    expect(syntaxErrorOf(`A=${value}`).message).toContain(
      `x.env:1: unsupported expansion "${value}"; expected \${VAR}, \${VAR:-default}`,
    )
  })

  test('with CRLF line endings the evidence is the line without its CR', () => {
    const error = syntaxErrorOf('A=1\r\nDOMAIN\r\n')
    expect(error.line).toBe(2)
    expect(error.evidence).toEqual([{ label: 'x.env line 2', text: 'DOMAIN' }])
  })

  test('without a file name the message says <input>', () => {
    expect(thrown(() => parseEnvFile('NOPE'))).toHaveProperty(
      'message',
      '<input>:1: missing "=" in "NOPE"; expected KEY=value',
    )
  })
})
