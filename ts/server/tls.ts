// TLS as redis-server configures it: the `tls-*` parameters turned into the options of Node's
// `tls` module, checked in the order and with the reasons redis-server logs when it builds its
// OpenSSL context.
//
// `loadTls()` reads the files the configuration names (certificate chain, private key, CA
// certificates, DH parameters) and returns what the server needs: the options of its TLS
// listeners, and the secure context of the connections it opens itself (a replica's link to a
// TLS master). A configuration that cannot be loaded throws a `TlsConfigError` saying why, and
// the caller keeps the TLS it had: a reload is all or nothing, as in Redis.
//
// Client certificates are a matter of each connection: `clientAuth()` turns `tls-auth-clients`,
// read as each client connects, into Node's `requestCert`/`rejectUnauthorized`: `yes` requires a
// certificate the CA vouches for, `optional` asks for one and checks it only if the client
// presents it (`presentedUntrustedCertificate`), `no` does not ask.
//
// Where Node's TLS differs from OpenSSL as Redis drives it:
// - `tls-ca-cert-dir`: the certificates of the directory's hashed names (`<hash>.0`, as
//   `openssl rehash` makes them) are all loaded up front; OpenSSL looks them up by name;
// - `tls-ciphers` and `tls-ciphersuites` (TLS 1.2 and TLS 1.3): when only one is set, the other
//   keeps Node's default list rather than OpenSSL's;
// - sessions resume with tickets only. redis-server 7.0.15 resumes them the same way (its
//   session cache never answers in practice), so `tls-session-caching` and
//   `tls-session-cache-timeout` only set the tickets' lifetime, as they do there, and
//   `tls-session-cache-size` has no cache to bound.

import { randomBytes, X509Certificate, constants } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  createSecureContext,
  DEFAULT_CIPHERS,
  type SecureContext,
  type SecureVersion,
  type TLSSocket,
  type TlsOptions,
} from 'node:tls'

export class TlsConfigError extends Error {}

export interface LoadedTls {
  /** Options of the TLS listeners (the client-certificate ones come from `clientAuth`). */
  serverOptions: TlsOptions
  /** Context of the TLS connections the server opens (`tls-client-*`, or the server's own
   * certificate when those are not set). */
  clientContext: SecureContext
}

/** Reads a parameter of the engine's configuration ('' when unset). */
export type Setting = (name: string) => string

/** Whether the configuration uses TLS at all: then its files must load (at start-up, and on
 * each CONFIG SET of a TLS parameter). */
export function tlsWanted(setting: Setting): boolean {
  return (
    Number(setting('tls-port') || 0) !== 0 || setting('tls-replication') === 'yes' || setting('tls-cluster') === 'yes'
  )
}

/** Builds the TLS configuration from the `tls-*` parameters; throws a `TlsConfigError`. */
export function loadTls(setting: Setting): LoadedTls {
  const certFile = setting('tls-cert-file')
  const keyFile = setting('tls-key-file')
  if (!certFile) throw new TlsConfigError('No tls-cert-file configured!')
  if (!keyFile) throw new TlsConfigError('No tls-key-file configured!')
  const caFile = setting('tls-ca-cert-file')
  const caDir = setting('tls-ca-cert-dir')
  const verifiesPeers =
    setting('tls-auth-clients') !== 'no' || setting('tls-replication') === 'yes' || setting('tls-cluster') === 'yes'
  if (verifiesPeers && !caFile && !caDir) {
    throw new TlsConfigError(
      'Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!',
    )
  }
  const versions = protocolVersions(setting('tls-protocols'))

  const identity = loadIdentity(certFile, keyFile, setting('tls-key-file-pass'))
  const ca = caFile || caDir ? loadCertificateAuthorities(caFile, caDir) : undefined
  const ciphers = cipherList(setting('tls-ciphers'), setting('tls-ciphersuites'))
  const dhparam = setting('tls-dh-params-file') ? loadDhParams(setting('tls-dh-params-file')) : 'auto'
  const shared = { ...versions, ca, ciphers }

  const caching = setting('tls-session-caching') === 'yes'
  const serverOptions: TlsOptions = {
    ...shared,
    ...identity,
    dhparam,
    honorCipherOrder: setting('tls-prefer-server-ciphers') === 'yes',
    // Without the session cache, OpenSSL's own default lifetime (two hours), as in Redis.
    sessionTimeout: caching ? Number(setting('tls-session-cache-timeout')) : 7200,
    // One set of ticket keys for every listener; a reload starts a new one.
    ticketKeys: randomBytes(48),
  }
  createContext(serverOptions, 'Failed to create the TLS context')

  const clientCertFile = setting('tls-client-cert-file')
  const clientKeyFile = setting('tls-client-key-file')
  const clientIdentity =
    clientCertFile && clientKeyFile
      ? loadIdentity(clientCertFile, clientKeyFile, setting('tls-client-key-file-pass'))
      : identity
  const clientContext = createContext({ ...shared, ...clientIdentity }, 'Failed to create the TLS client context')
  return { serverOptions, clientContext }
}

/** Node's options for a connection accepted under `tls-auth-clients` `mode`. */
export function clientAuth(mode: string): { requestCert: boolean; rejectUnauthorized: boolean } {
  return { requestCert: mode !== 'no', rejectUnauthorized: mode !== 'no' && mode !== 'optional' }
}

/** The client presented a certificate the CA does not vouch for, and Node let the handshake
 * through (under `tls-auth-clients optional`, where OpenSSL as Redis sets it up fails the
 * handshake; under `yes` Node has closed such a connection already). */
export function presentedUntrustedCertificate(socket: TLSSocket): boolean {
  return Boolean(socket.authorizationError) && Object.keys(socket.getPeerCertificate()).length > 0
}

const VERSIONS: SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']
/** The OpenSSL option that turns each version off, for a version between enabled ones. */
const VERSION_OFF: Record<SecureVersion, number> = {
  TLSv1: constants.SSL_OP_NO_TLSv1,
  'TLSv1.1': constants.SSL_OP_NO_TLSv1_1,
  'TLSv1.2': constants.SSL_OP_NO_TLSv1_2,
  'TLSv1.3': constants.SSL_OP_NO_TLSv1_3,
}

/** `tls-protocols`: versions separated by single spaces, case-insensitively; TLS 1.2 and 1.3
 * when empty. Any other word (an empty one too) is refused. */
function protocolVersions(text: string): {
  minVersion: SecureVersion
  maxVersion: SecureVersion
  secureOptions: number
} {
  const words = text === '' ? ['TLSv1.2', 'TLSv1.3'] : text.split(' ')
  const enabled = new Set<SecureVersion>()
  for (const word of words) {
    const version = VERSIONS.find((v) => v.toLowerCase() === word.toLowerCase())
    if (!version) {
      throw new TlsConfigError(
        "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.",
      )
    }
    enabled.add(version)
  }
  const chosen = VERSIONS.filter((v) => enabled.has(v))
  const [minVersion, maxVersion] = [chosen[0]!, chosen.at(-1)!]
  let secureOptions = 0
  for (const version of VERSIONS.slice(VERSIONS.indexOf(minVersion), VERSIONS.indexOf(maxVersion) + 1)) {
    if (!enabled.has(version)) secureOptions |= VERSION_OFF[version]
  }
  return { minVersion, maxVersion, secureOptions }
}

/** A certificate chain and its private key, checked together. */
function loadIdentity(certFile: string, keyFile: string, passphrase: string): TlsOptions {
  const cert = readFile(certFile, `Failed to load certificate: ${certFile}`)
  createContext({ cert }, `Failed to load certificate: ${certFile}`)
  const key = readFile(keyFile, `Failed to load private key: ${keyFile}`)
  const identity = { cert, key, passphrase: passphrase || undefined }
  createContext(identity, `Failed to load private key: ${keyFile}`)
  return identity
}

/** A file name OpenSSL looks a CA certificate up by: its subject's hash, a dot, a number. */
const HASHED_NAME = /^[0-9a-f]{8}\.\d+$/

/** The certificates of `tls-ca-cert-file` (at least one) and of the hashed names in
 * `tls-ca-cert-dir`. */
function loadCertificateAuthorities(caFile: string, caDir: string): string[] {
  const failure = 'Failed to configure CA certificate(s) file/directory'
  const certificates: string[] = []
  if (caFile) {
    const found = certificatesIn(readFile(caFile, `${failure}: ${caFile}`).toString('latin1'))
    if (found.length === 0) throw new TlsConfigError(`${failure}: no certificate in ${caFile}`)
    certificates.push(...found)
  }
  if (caDir) {
    let names: string[] = []
    try {
      names = readdirSync(caDir)
    } catch {
      // As with OpenSSL, a directory that cannot be read only trusts nothing.
    }
    for (const name of names.filter((name) => HASHED_NAME.test(name))) {
      try {
        certificates.push(...certificatesIn(readFileSync(join(caDir, name), 'latin1')))
      } catch {
        // Not a certificate file: OpenSSL would never look it up either.
      }
    }
  }
  return certificates
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g

/** The PEM certificates in `text`; throws a `TlsConfigError` for one that does not parse. */
function certificatesIn(text: string): string[] {
  const blocks = text.match(PEM_CERTIFICATE) ?? []
  for (const block of blocks) {
    try {
      new X509Certificate(block)
    } catch (error) {
      throw new TlsConfigError(`Failed to configure CA certificate(s) file/directory: ${(error as Error).message}`)
    }
  }
  return blocks
}

/** `tls-dh-params-file`: PEM DH parameters (Node would silently ignore anything else). */
function loadDhParams(file: string): Buffer {
  const params = readFile(file, `Failed to load ${file}`)
  if (!params.toString('latin1').includes('-----BEGIN DH PARAMETERS-----')) {
    throw new TlsConfigError(`${file}: failed to read DH params.`)
  }
  return params
}

/** Node's one cipher string: the TLS 1.3 suites (`TLS_…`), then the TLS 1.2 ciphers, each
 * Node's default when not configured. Each part is checked on its own, so that the error names
 * the parameter at fault. */
function cipherList(ciphers: string, ciphersuites: string): string {
  const defaults = DEFAULT_CIPHERS.split(':')
  const defaultSuites = defaults.filter((name) => name.startsWith('TLS_')).join(':')
  const defaultCiphers = defaults.filter((name) => !name.startsWith('TLS_')).join(':')
  if (ciphers) createContext({ ciphers: `${defaultSuites}:${ciphers}` }, `Failed to configure ciphers: ${ciphers}`)
  if (ciphersuites) {
    const notSuites = ciphersuites.split(':').some((name) => !name.startsWith('TLS_'))
    if (notSuites) throw new TlsConfigError(`Failed to configure ciphersuites: ${ciphersuites}`)
    createContext({ ciphers: `${ciphersuites}:${defaultCiphers}` }, `Failed to configure ciphersuites: ${ciphersuites}`)
  }
  return `${ciphersuites || defaultSuites}:${ciphers || defaultCiphers}`
}

function readFile(path: string, failure: string): Buffer {
  try {
    return readFileSync(path)
  } catch (error) {
    throw new TlsConfigError(`${failure}: ${(error as Error).message}`)
  }
}

/** A secure context from `options`; a refusal becomes a `TlsConfigError` starting with
 * `failure`. */
function createContext(options: TlsOptions, failure: string): SecureContext {
  try {
    return createSecureContext(options)
  } catch (error) {
    throw new TlsConfigError(`${failure}: ${(error as Error).message}`)
  }
}
