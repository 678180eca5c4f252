/**
 * `candor verify-bundle`: checks an evidence bundle on its own, without the database: every
 * file against manifest.json, the audit slice's hashes and links, and the anchors. Streams the
 * archive once; memory stays small whatever the size of the delivery list.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parseAuditAnchor, type AuditAnchor } from '../../domain/audit-anchor.js';
import { ValidationError } from '../../domain/errors.js';
import {
  ANCHOR_PATH,
  bundleManifestSchema,
  CHAIN_PATH,
  ChainSliceChecker,
  MANIFEST_PATH,
  PUBLISHED_ANCHOR_PATH,
  type BundleFinding,
  type BundleManifest,
} from '../../domain/evidence-bundle.js';
import { bufferConsumer, lineConsumer, readZipEntries } from './evidence-bundle-zip.js';

export interface BundleVerification {
  ok: boolean;
  /** In archive order: the first one is the first file or entry that does not match. */
  findings: BundleFinding[];
  manifest: BundleManifest | null;
  manifestSha256: string | null;
  files: number;
  audit: { entries: number; links: number; anchor: AuditAnchor | null };
}

/** Verifies the bundle at `file`; `manifestSha256` is the hash printed when it was exported. */
export async function verifyEvidenceBundle(
  file: string,
  options: { manifestSha256?: string } = {},
): Promise<BundleVerification> {
  const contentFindings = new Map<string, BundleFinding[]>();
  const note = (f: BundleFinding) => {
    const list = contentFindings.get(f.file) ?? [];
    list.push(f);
    contentFindings.set(f.file, list);
  };
  const actual = new Map<string, { sha256: string; bytes: number }>();
  const order: string[] = [];
  const anchors: { anchor: AuditAnchor; label: string }[] = [];
  let exportAnchor: AuditAnchor | null = null;
  let manifestText: Buffer | null = null;
  let checker: ChainSliceChecker | null = null;

  const readAnchor = (name: string, body: Buffer): void => {
    try {
      const anchor = parseAuditAnchor(body.toString('utf8'), name);
      anchors.push({ anchor, label: name });
      if (name === ANCHOR_PATH) exportAnchor = anchor;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const fields = error.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      note({ file: name, message: `not an audit anchor (${fields})` });
    }
  };

  try {
    await fs.promises.access(file, fs.constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return failed(file, `cannot read the bundle: ${code}`);
  }
  try {
    await readZipEntries(
      file,
      (name) => {
        if (actual.has(name) || order.includes(name)) {
          note({ file: name, message: 'appears twice in the archive' });
        }
        order.push(name);
        if (name === MANIFEST_PATH) return bufferConsumer((b) => (manifestText = b));
        if (name === ANCHOR_PATH || name === PUBLISHED_ANCHOR_PATH) {
          return bufferConsumer((b) => readAnchor(name, b));
        }
        if (name === CHAIN_PATH) {
          if (!exportAnchor) {
            note({ file: name, message: `${ANCHOR_PATH} must come before it in the archive` });
          }
          const chain = new ChainSliceChecker(anchors);
          checker = chain;
          return lineConsumer((line) => chain.addLine(line));
        }
        return null;
      },
      (name, sha256, bytes) => {
        actual.set(name, { sha256, bytes });
        if (name === CHAIN_PATH && checker) for (const f of checker.finish()) note(f);
      },
    );
  } catch (error) {
    return failed(file, `not a readable zip archive: ${(error as Error).message}`);
  }

  const manifestSha256 = manifestText
    ? createHash('sha256').update(manifestText).digest('hex')
    : null;
  const manifestFindings: BundleFinding[] = [];
  let manifest: BundleManifest | null = null;
  if (!manifestText) {
    manifestFindings.push({ file: MANIFEST_PATH, message: 'is missing from the bundle' });
  } else {
    manifest = parseManifest(manifestText, manifestFindings);
    if (options.manifestSha256 && options.manifestSha256.toLowerCase() !== manifestSha256) {
      manifestFindings.push({
        file: MANIFEST_PATH,
        message: `its SHA-256 is ${manifestSha256}, not ${options.manifestSha256} as given: the manifest was replaced`,
      });
    }
  }
  const listed = new Map((manifest?.files ?? []).map((f) => [f.path, f]));
  const findings: BundleFinding[] = [];
  for (const name of order) {
    findings.push(...(contentFindings.get(name) ?? []));
    if (name === MANIFEST_PATH) continue;
    const expected = listed.get(name);
    const got = actual.get(name);
    if (!manifest) continue;
    if (!expected) findings.push({ file: name, message: 'is not listed in manifest.json' });
    else if (got && (got.sha256 !== expected.sha256 || got.bytes !== expected.bytes)) {
      findings.push({
        file: name,
        message: `does not match manifest.json: SHA-256 ${got.sha256} (${got.bytes} bytes), expected ${expected.sha256} (${expected.bytes} bytes)`,
      });
    }
  }
  for (const path of listed.keys()) {
    if (!actual.has(path))
      findings.push({
        file: path,
        message: 'is listed in manifest.json but missing from the bundle',
      });
  }
  for (const required of [ANCHOR_PATH, CHAIN_PATH]) {
    if (!actual.has(required) && !listed.has(required)) {
      findings.push({ file: required, message: 'is missing from the bundle' });
    }
  }
  findings.push(...manifestFindings);
  const chain = checker as ChainSliceChecker | null;
  return {
    ok: findings.length === 0,
    findings,
    manifest,
    manifestSha256,
    files: order.length,
    audit: { entries: chain?.entries ?? 0, links: chain?.links ?? 0, anchor: exportAnchor },
  };
}

function parseManifest(text: Buffer, findings: BundleFinding[]): BundleManifest | null {
  let value: unknown;
  try {
    value = JSON.parse(text.toString('utf8'));
  } catch {
    findings.push({ file: MANIFEST_PATH, message: 'is not JSON' });
    return null;
  }
  const parsed = bundleManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    findings.push({
      file: MANIFEST_PATH,
      message: `${issue.path.join('.') || '(document)'}: ${issue.message}`,
    });
    return null;
  }
  return parsed.data;
}

function failed(file: string, message: string): BundleVerification {
  return {
    ok: false,
    findings: [{ file, message }],
    manifest: null,
    manifestSha256: null,
    files: 0,
    audit: { entries: 0, links: 0, anchor: null },
  };
}
