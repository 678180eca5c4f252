import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A static file of the workspace, held in memory. */
export interface WorkspaceAsset {
  body: Buffer;
  type: string;
  etag: string;
  /** Short content hash, appended to URLs (`?v=`) so a long cache never serves old files. */
  version: string;
}

// The stylesheet and script live next to the views in src/, which the build does not copy:
// find them from the package root, whether running from src/ (tsx, tests) or dist/.
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the package root for workspace assets');
    dir = parent;
  }
}

function load(file: string, type: string): WorkspaceAsset {
  const body = fs.readFileSync(file);
  const digest = createHash('sha256').update(body).digest('base64url');
  return { body, type, etag: `"${digest.slice(0, 27)}"`, version: digest.slice(0, 10) };
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

let assets: Map<string, WorkspaceAsset> | null = null;

/** Every asset by name, read once. */
export function workspaceAssets(): Map<string, WorkspaceAsset> {
  if (assets) return assets;
  const dir = path.join(packageRoot(), 'src', 'http', 'views', 'workspace', 'assets');
  const require = createRequire(import.meta.url);
  // Every stylesheet, script and image in the folder (other parts add their own scripts).
  assets = new Map();
  for (const name of fs.readdirSync(dir).sort()) {
    const type = TYPES[path.extname(name)];
    if (type && /^[\w.-]+$/.test(name)) assets.set(name, load(path.join(dir, name), type));
  }
  assets.set(
    'htmx.min.js',
    load(require.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8'),
  );
  return assets;
}

/** The versioned URL of an asset. */
export function assetUrl(name: string): string {
  const asset = workspaceAssets().get(name);
  return `/app/assets/${name}${asset ? `?v=${asset.version}` : ''}`;
}
