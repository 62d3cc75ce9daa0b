// Starts a real redis-server (the oracle of the differential tests) on a free
// loopback port, with persistence disabled and a throwaway working directory,
// and waits until it accepts connections. A missing redis-server binary is an
// error, never a reason to skip: without the oracle the tests prove nothing.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RunningRedis {
  port: number;
  close(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 10_000;
const SHUTDOWN_TIMEOUT_MS = 5_000;
const OUTPUT_KEPT_CHARS = 4000;

export async function startRedisServer(extraArgs: string[] = []): Promise<RunningRedis> {
  const port = await findFreePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'redwing-oracle-'));
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--dir', dir,
    ...extraArgs,
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });

  let output = '';
  const keepOutput = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT_CHARS);
  };
  child.stdout.on('data', keepOutput);
  child.stderr.on('data', keepOutput);

  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exit code ${code ?? 'none'}, signal ${signal ?? 'none'}`));
  });

  const removeDir = (): Promise<void> => rm(dir, { recursive: true, force: true });

  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'ENOENT'
            ? new Error('redis-server was not found on PATH; the differential tests need it as their oracle (apt-get install redis-server)')
            : new Error(`could not start redis-server: ${error.message}`),
        );
      });
    });
    await waitUntilAccepting(port, exited, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    await removeDir();
    throw error;
  }

  return {
    port,
    async close(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await removeDir();
    },
  };
}

/** Asks the kernel for an unused port by listening on port 0, then releases it. */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not determine a free port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

async function waitUntilAccepting(port: number, exited: Promise<string>, output: () => string): Promise<void> {
  let exitStatus: string | undefined;
  void exited.then((status) => {
    exitStatus = status;
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitStatus !== undefined) {
      throw new Error(`redis-server exited during startup (${exitStatus}):\n${output()}`);
    }
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not accept connections on port ${port} within ${STARTUP_TIMEOUT_MS} ms:\n${output()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
