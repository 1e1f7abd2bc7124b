import { describe, expect, test } from 'vitest'
import { CcciError } from '../../harness/errors.ts'
import { parseAbraSh } from '../../harness/coop/abra-sh.ts'

// Source: github bonfire-networks/bonfire-coop-cloud abra.sh @8fcf1d4b.
const BONFIRE_ABRA_SH = `export APP_ENTRYPOINT_VERSION=v1
export PG_BACKUP_VERSION=v1
export MEILI_BACKUP_VERSION=v1

`

// Source: github ahdinosaur/coop-cloud-traefik abra.sh @028ad6ce.
const TRAEFIK_ABRA_SH = `export TRAEFIK_YML_VERSION=v6
export FILE_PROVIDER_YML_VERSION=v1
`

// Source: github mayel/lemp abra.sh @015c2578 (trimmed; the WordPress-style recipe shape with
// backup/restore functions).
const LEMP_ABRA_SH = `export NGINX_DEFAULT_CONF_VERSION=v4
export PHP_UPLOADS_CONF_VERSION=v3
export ENTRYPOINT_CONF_VERSION=v2
export ENTRYPOINT_MAILRELAY_CONF_VERSION=v1
export MSMTP_CONF_VERSION=v3

abra_backup_app() {
  _abra_backup_dir "app:/var/www/html/"
}

abra_restore_app() {
  # shellcheck disable=SC2034
  {
\tabra__src_="-"
\tabra__dst_="app:/var/www/html/"
  }

  zcat "$@" | sub_app_cp

  success "Restored 'app'"
}

abra_restore_db() {
  # shellcheck disable=SC2034
  abra___no_tty="true"
  export INSIDE_FUNCTION=yes

  DB_ROOT_PASSWORD=$(sub_app_run cat /run/secrets/db_root_password)

  zcat "$@" | sub_app_run mysql -u root -p"$DB_ROOT_PASSWORD" site
}
`

describe('parseAbraSh on real recipes', () => {
  test('BONFIRE config versions', () => {
    expect(parseAbraSh(BONFIRE_ABRA_SH)).toEqual({
      APP_ENTRYPOINT_VERSION: 'v1',
      PG_BACKUP_VERSION: 'v1',
      MEILI_BACKUP_VERSION: 'v1',
    })
  })

  test('traefik config versions', () => {
    expect(parseAbraSh(TRAEFIK_ABRA_SH)).toEqual({
      TRAEFIK_YML_VERSION: 'v6',
      FILE_PROVIDER_YML_VERSION: 'v1',
    })
  })

  test('functions and the assignments and exports inside them are ignored', () => {
    expect(Object.entries(parseAbraSh(LEMP_ABRA_SH))).toEqual([
      ['NGINX_DEFAULT_CONF_VERSION', 'v4'],
      ['PHP_UPLOADS_CONF_VERSION', 'v3'],
      ['ENTRYPOINT_CONF_VERSION', 'v2'],
      ['ENTRYPOINT_MAILRELAY_CONF_VERSION', 'v1'],
      ['MSMTP_CONF_VERSION', 'v3'],
    ])
  })
})

describe('parseAbraSh', () => {
  test('empty text and a comment-only script export nothing', () => {
    expect(parseAbraSh('')).toEqual({})
    expect(parseAbraSh('# abra.sh — nothing to export\n#\n')).toEqual({})
  })

  test('quoted values lose their quotes', () => {
    const vars = parseAbraSh(
      [
        `export A="v2"`,
        `export B='v3'`,
        `export C="two words"`,
        `export D='$NOT_EXPANDED'`,
        `export E="say \\"hi\\" \\$x \\n"`,
        `export F=pre"mid"'post'`,
        `export G=`,
        `export H=""`,
      ].join('\n'),
    )
    expect(vars).toEqual({
      A: 'v2',
      B: 'v3',
      C: 'two words',
      D: '$NOT_EXPANDED',
      E: 'say "hi" $x \\n',
      F: 'premidpost',
      G: '',
      H: '',
    })
  })

  test('unquoted values end at a blank or ;, and a trailing comment is dropped', () => {
    const vars = parseAbraSh(
      'export A=v1 # bump when nginx.conf changes\nexport B=v2; echo hi\nexport C=a\\ b\n',
    )
    expect(vars).toEqual({ A: 'v1', B: 'v2', C: 'a b' })
  })

  test('variable references are kept literally, not expanded', () => {
    expect(parseAbraSh('export A=v1\nexport B=$A\nexport C=${A}-x')).toEqual({
      A: 'v1',
      B: '$A',
      C: '${A}-x',
    })
  })

  test('several assignments on one export line all count', () => {
    expect(parseAbraSh('export A=1 B="2" C')).toEqual({ A: '1', B: '2' })
  })

  test('other statements are ignored', () => {
    const vars = parseAbraSh(
      [
        'NOT_EXPORTED=v1',
        '#export COMMENTED=v1',
        '  export INDENTED=v1',
        'export NO_VALUE',
        'export -f some_function',
        'exported=nope',
        'exportFOO=1',
        'echo "RUNNING abra.sh grabbing $SOURCES_YML_URL"',
        'export KEPT=v1',
      ].join('\n'),
    )
    expect(vars).toEqual({ KEPT: 'v1' })
  })

  test('a later export wins but keeps the first position', () => {
    expect(Object.entries(parseAbraSh('export A=v1\nexport B=v1\nexport A=v2\n'))).toEqual([
      ['A', 'v2'],
      ['B', 'v1'],
    ])
  })

  test('CRLF line endings and tabs after export', () => {
    expect(parseAbraSh('export\tA=v1\r\nexport B="v2"\r\n')).toEqual({ A: 'v1', B: 'v2' })
  })

  test.each([
    ['export A="v1', '"'],
    ["export A='v1", "'"],
    ['export A="v1\\"', '"'],
  ])('an unterminated quote in %j names the file and line', (line, quote) => {
    let error: unknown
    try {
      parseAbraSh(`export OK=v1\n\n${line}\n`, { file: 'recipes/x/abra.sh' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(CcciError)
    expect(error).toMatchObject({
      code: 'CCCI_ABRA_SH_SYNTAX',
      message:
        `recipes/x/abra.sh:3: unterminated ${quote} in an export; expected a closing ${quote} ` +
        'on the same line, as in export NAME="value"',
    })
    expect((error as CcciError).report()).toContain(`--- recipes/x/abra.sh line 3 ---\n${line}`)
  })

  test('the default file name in errors is abra.sh', () => {
    expect(() => parseAbraSh('export A="x')).toThrow(/^abra\.sh:1: unterminated "/)
  })

  test('a broken quote outside an export line is not an error', () => {
    expect(parseAbraSh('echo "unterminated\n  export X="y\n')).toEqual({})
  })
})
