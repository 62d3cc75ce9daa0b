// Throwaway certificates for the TLS tests, made with the `openssl` command in a temporary
// directory: a CA (also alone in a directory under its hashed name, as `tls-ca-cert-dir`
// wants it); a server certificate it signed for 127.0.0.1 and localhost; a second one with
// another name (to see a reloaded certificate); a client certificate it signed; and a
// "stranger" client certificate signed by nobody the servers trust. EC keys keep it quick.

import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Identity {
  cert: string
  key: string
}

export interface Certificates {
  dir: string
  /** The CA certificate file. */
  ca: string
  /** A directory holding the CA certificate under its subject hash (`<hash>.0`). */
  caDir: string
  /** Signed by the CA for 127.0.0.1 and localhost, common name `redwing-test-server`. */
  server: Identity
  /** Signed by the CA for 127.0.0.1 and localhost, common name `redwing-test-server-2`. */
  renewed: Identity
  /** Signed by the CA, for clients. */
  client: Identity
  /** Self-signed: no server here trusts it. */
  stranger: Identity
  /** The contents of a file, for Node's TLS options. */
  read(path: string): Buffer
  remove(): void
}

export function makeCertificates(): Certificates {
  const dir = mkdtempSync(join(tmpdir(), 'redwing-tls-'))
  const path = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

  openssl(
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=redwing-test-ca',
  )
  writeFileSync(path('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  const signed = (name: string, commonName: string, extensions: string[]): Identity => {
    openssl('req', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${commonName}`)
    const ca = ['-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial']
    openssl('x509', '-req', '-in', `${name}.csr`, ...ca, '-out', `${name}.crt`, '-days', '2', ...extensions)
    return { cert: path(`${name}.crt`), key: path(`${name}.key`) }
  }
  const serverExtensions = ['-extfile', 'san.ext']
  const server = signed('server', 'redwing-test-server', serverExtensions)
  const renewed = signed('renewed', 'redwing-test-server-2', serverExtensions)
  const client = signed('client', 'redwing-test-client', [])
  openssl(
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    'stranger.key',
    '-out',
    'stranger.crt',
    '-days',
    '2',
    '-subj',
    '/CN=stranger',
  )
  const caDir = path('ca-dir')
  mkdirSync(caDir)
  const hash = openssl('x509', '-hash', '-noout', '-in', 'ca.crt').toString().trim()
  copyFileSync(path('ca.crt'), join(caDir, `${hash}.0`))

  return {
    dir,
    ca: path('ca.crt'),
    caDir,
    server,
    renewed,
    client,
    stranger: { cert: path('stranger.crt'), key: path('stranger.key') },
    read: (file) => readFileSync(file),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
