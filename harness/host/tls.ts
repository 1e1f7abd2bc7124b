import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCommand } from '../process/index.ts'
import { withLock } from '../files/file-lock.ts'

/** The local host's certificate authority and its wildcard certificate for `*.<suffix>`. */
export interface HostTls {
  dir: string
  caFile: string
  certFile: string
  keyFile: string
  suffix: string
}

export function tlsPaths(home: string): HostTls & { suffixFile: string } {
  const dir = join(home, 'host', 'tls')
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'wildcard.pem'),
    keyFile: join(dir, 'wildcard-key.pem'),
    suffixFile: join(dir, 'suffix'),
    suffix: existsSync(join(dir, 'suffix')) ? readFileSync(join(dir, 'suffix'), 'utf8').trim() : '',
  }
}

async function certificateValidFor(certFile: string, seconds: number): Promise<boolean> {
  if (!existsSync(certFile)) {
    return false
  }
  const result = await runCommand(
    'openssl',
    ['x509', '-in', certFile, '-noout', '-checkend', String(seconds)],
    {
      timeoutMs: 10_000,
    },
  ).catch(() => undefined)
  return result !== undefined
}

/**
 * Creates (once) a local CA and a wildcard certificate for `*.<suffix>` signed by it, so the
 * harness and the browser can trust app URLs without disabling TLS checks. Renews them when the
 * suffix changes or they expire within 30 days.
 */
export function ensureTls(home: string, suffix: string): Promise<HostTls> {
  return withLock(join(home, 'host', 'tls.lock'), () => makeTls(home, suffix), 120_000)
}

async function makeTls(home: string, suffix: string): Promise<HostTls> {
  const paths = tlsPaths(home)
  const fresh =
    paths.suffix === suffix &&
    existsSync(paths.keyFile) &&
    (await certificateValidFor(paths.caFile, 30 * 86_400)) &&
    (await certificateValidFor(paths.certFile, 30 * 86_400))
  if (fresh) {
    return { ...paths, suffix }
  }
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 })
  const caKey = join(paths.dir, 'ca-key.pem')
  const csr = join(paths.dir, 'wildcard.csr')
  const ext = join(paths.dir, 'wildcard.ext')
  const openssl = (args: string[]) =>
    runCommand('openssl', args, { timeoutMs: 60_000, cwd: paths.dir })
  await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', caKey])
  await openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    caKey,
    '-sha256',
    '-days',
    '3650',
    '-out',
    paths.caFile,
    '-subj',
    `/CN=cc-ci local CA (${suffix})`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ])
  await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', paths.keyFile])
  await openssl(['req', '-new', '-key', paths.keyFile, '-out', csr, '-subj', `/CN=*.${suffix}`])
  writeFileSync(
    ext,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=DNS:*.${suffix},DNS:${suffix}`,
    ].join('\n'),
  )
  await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    paths.caFile,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    paths.certFile,
    '-days',
    '825',
    '-sha256',
    '-extfile',
    ext,
  ])
  writeFileSync(paths.suffixFile, `${suffix}\n`)
  return { ...paths, suffix }
}
