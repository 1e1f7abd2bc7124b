import { createHash, X509Certificate } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { connect, rootCertificates } from 'node:tls'
import { loadSettings, type Settings } from '../config/settings.ts'
import { CcciError, describeError } from '../errors.ts'
import { tlsPaths } from '../host/tls.ts'
import { runContext, type RunContext } from '../vitest/context.ts'
import type { BrowserTarget } from './chromium.ts'

/** Base64 SHA-256 of a certificate's public key (SPKI), the form Chromium's pin list takes. */
export function spkiHash(certificatePem: string | Buffer): string {
  const key = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(key).digest('base64')
}

/**
 * The SPKI hash of the certificate an HTTPS URL serves, after Node verified it against `ca` or a
 * system root (and the host name): trust is decided by the CA, Chromium only gets the pin.
 */
export async function verifiedServerSpki(
  url: string,
  ca: string,
  loopbackSuffix: string | undefined,
  timeoutMs = 10_000,
): Promise<string> {
  const { hostname, port } = new URL(url)
  const local =
    loopbackSuffix !== undefined &&
    (hostname === loopbackSuffix || hostname.endsWith(`.${loopbackSuffix}`))
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: local ? '127.0.0.1' : hostname,
      port: Number(port === '' ? 443 : port),
      servername: hostname,
      ca: [ca, ...rootCertificates],
      timeout: timeoutMs,
    })
    const fail = (why: string) => {
      socket.destroy()
      reject(
        new CcciError('CCCI_BROWSER_TRUST', `cannot trust the certificate of ${url}: ${why}`, {
          hint: 'check the CA (CCCI_CA_FILE) signs the certificate the proxy serves for this host',
        }),
      )
    }
    socket.once('secureConnect', () => {
      const raw = socket.getPeerCertificate().raw
      socket.end()
      resolve(spkiHash(new X509Certificate(raw).toString()))
    })
    socket.once('timeout', () => fail(`no TLS handshake within ${timeoutMs / 1000}s`))
    socket.once('error', (error) => fail(describeError(error)))
  })
}

/**
 * What the browser needs to open the deployed app of this run:
 * - local proxy: the host's wildcard certificate (`tlsPaths(home).certFile`) is pinned by its SPKI
 *   and `*.<suffix>` resolves to 127.0.0.1;
 * - another CA (`CCCI_CA_FILE`): the served certificate is verified against it, then pinned;
 * - otherwise the system's trust store decides.
 */
export async function appTarget(
  run: RunContext = runContext(),
  settings: Settings = loadSettings(),
): Promise<BrowserTarget> {
  const target = { baseURL: run.url, loopbackSuffix: run.loopbackSuffix }
  if (run.loopbackSuffix !== undefined) {
    const { certFile } = tlsPaths(settings.home)
    if (!existsSync(certFile)) {
      throw new CcciError(
        'CCCI_BROWSER_TRUST',
        `the local host's certificate ${certFile} is missing`,
        {
          hint: 'run `./ccci host up` (it creates the CA and the wildcard certificate)',
        },
      )
    }
    return { ...target, trustedSpki: [spkiHash(readFileSync(certFile))] }
  }
  if (run.ca !== undefined) {
    return { ...target, trustedSpki: [await verifiedServerSpki(run.url, run.ca, undefined)] }
  }
  return { ...target, trustedSpki: [] }
}
