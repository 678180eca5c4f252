/**
 * A browser stand-in for tests behind a TLS proxy: requests to a public URL whose host name
 * is not in DNS (candor.test), sent to 127.0.0.1 with that name for SNI, the certificate
 * check and the Host header, trusting only the test's own CA, and from a chosen local
 * address (127.0.0.2) so the client's address differs from the proxy's (127.0.0.1).
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpsClientOptions {
  /** https://NAME:PORT, the public URL the proxy serves. */
  publicUrl: string;
  /** The certificate (PEM) the client trusts, and nothing else. */
  ca: string;
  /** Source address of the client's connections. */
  localAddress: string;
}

export interface ClientResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpsClient {
  request(
    method: string,
    pathname: string,
    options?: { headers?: Record<string, string>; body?: string },
  ): Promise<ClientResponse>;
  /** Opens a GET and hands back the live response, for streams. */
  open(pathname: string, headers?: Record<string, string>): Promise<http.IncomingMessage>;
}

export function httpsClient(options: HttpsClientOptions): HttpsClient {
  const url = new URL(options.publicUrl);
  const base = (method: string, pathname: string, headers: Record<string, string>) => ({
    host: '127.0.0.1',
    port: Number(url.port || 443),
    servername: url.hostname,
    ca: options.ca,
    localAddress: options.localAddress,
    agent: false as const,
    method,
    path: pathname,
    headers: { host: url.host, ...headers },
  });
  const open = (
    method: string,
    pathname: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<http.IncomingMessage> =>
    new Promise((resolve, reject) => {
      const request = https.request(base(method, pathname, headers), resolve);
      request.on('error', reject);
      request.setTimeout(30_000, () =>
        request.destroy(new Error(`${method} ${pathname} timed out`)),
      );
      request.end(body);
    });
  return {
    async request(method, pathname, { headers = {}, body } = {}) {
      const response = await open(method, pathname, headers, body);
      let text = '';
      for await (const chunk of response) text += (chunk as Buffer).toString('utf8');
      return { status: response.statusCode ?? 0, headers: response.headers, body: text };
    },
    open: (pathname, headers = {}) => open('GET', pathname, headers),
  };
}

/** Plain http to 127.0.0.1:PORT with a Host header, for the proxy's port-80 server. */
export function plainGet(
  port: number,
  host: string,
  pathname: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port, path: pathname, headers: { host }, agent: false },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers }),
        );
      },
    );
    request.on('error', reject);
  });
}
