/**
 * A private nginx for tests: its own prefix, config, logs and temp paths in a temp dir, on
 * ports of 127.0.0.1, never the system service. The site (a `server`/`upstream` file such as
 * docs/deploy/nginx.conf) is included into a minimal main config written here.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's binary; a missing one fails the test (CI installs it, see .ci/run). */
export const NGINX = '/usr/sbin/nginx';

export interface NginxInstance {
  dir: string;
  /** The access log, one line per request: `status upstream_addr method uri`. */
  accessLog(): string;
  errorLog(): string;
  stop(): Promise<void>;
}

/** A self-signed certificate (and key) for `name`, made by the openssl CLI. */
export async function selfSignedCertificate(
  dir: string,
  name: string,
): Promise<{ cert: string; key: string; pem: string }> {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    `subjectAltName=DNS:${name}`,
  ]);
  return { cert, key, pem: fs.readFileSync(cert, 'utf8') };
}

/**
 * Applies `[from, to]` replacements to a shipped config; each `from` must occur, so a test
 * whose template no longer matches the file fails naming the line instead of testing
 * something else.
 */
export function substitute(
  text: string,
  file: string,
  replacements: ReadonlyArray<readonly [string, string]>,
): string {
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}`);
    text = text.replaceAll(from, to);
  }
  return text;
}

/**
 * Writes the main config around `site`, checks it with `nginx -t` (its message is the
 * error), starts nginx in the foreground and resolves once every port in `ports` accepts.
 */
export async function startNginx(
  dir: string,
  site: string,
  ports: number[],
): Promise<NginxInstance> {
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }
  const sitePath = path.join(dir, 'site.conf');
  fs.writeFileSync(sitePath, site);
  const errorLog = path.join(dir, 'error.log');
  const accessLog = path.join(dir, 'access.log');
  const main = [
    'daemon off;',
    'master_process on;',
    'worker_processes 1;',
    // Worker processes as root too: the temp dir is root's (tests run as root here).
    ...(process.getuid?.() === 0 ? ['user root root;'] : []),
    `pid ${path.join(dir, 'nginx.pid')};`,
    `error_log ${errorLog} info;`,
    'events { worker_connections 256; }',
    'http {',
    '  log_format upstream "$status $upstream_addr $request_method $uri";',
    `  access_log ${accessLog} upstream;`,
    `  client_body_temp_path ${path.join(dir, 'client_body')};`,
    `  proxy_temp_path ${path.join(dir, 'proxy')};`,
    `  fastcgi_temp_path ${path.join(dir, 'fastcgi')};`,
    `  uwsgi_temp_path ${path.join(dir, 'uwsgi')};`,
    `  scgi_temp_path ${path.join(dir, 'scgi')};`,
    `  include ${sitePath};`,
    '}',
    '',
  ].join('\n');
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, main);
  const args = ['-p', dir, '-c', conf, '-e', errorLog];
  try {
    await run(NGINX, [...args, '-t']);
  } catch (error) {
    throw new Error(`nginx -t refused the config:\n${(error as { stderr?: string }).stderr}`);
  }
  const child: ChildProcess = spawn(NGINX, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  const deadline = Date.now() + 10_000;
  for (const port of ports) {
    while (!(await accepts(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`nginx did not listen on ${port}:\n${stderr}${read(errorLog)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    dir,
    accessLog: () => read(accessLog),
    errorLog: () => read(errorLog),
    async stop() {
      // SIGTERM is nginx's fast shutdown: open event streams do not hold it up.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
