// benches/lib/certificates.mjs — throwaway certificates for benchmarks over TLS.
//
// Made with the `openssl` command in a temporary directory, removed when the process exits: a
// CA, and one certificate it signed for 127.0.0.1 and localhost, which the servers present and
// the benchmark client presents too (both trust the CA, and check nothing else). EC keys, as a
// deployment would choose today, and quick to make.

import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Makes the certificates; returns the paths of `ca`, `cert` and `key`. */
export function makeCertificates() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redwing-bench-tls-'))
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  openssl('req', '-x509', ...newKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=bench-ca')
  openssl('req', ...newKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost')
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  const ca = ['-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial']
  openssl('x509', '-req', '-in', 'server.csr', ...ca, '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext')
  return { ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'server.crt'), key: path.join(dir, 'server.key') }
}
