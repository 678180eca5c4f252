import path from 'node:path';
import type { Command } from 'commander';
import { systemActor } from '../domain/access.js';
import { describeFinding } from '../domain/evidence-bundle.js';
import { exportEvidenceBundle } from '../services/reports/evidence-bundle.service.js';
import { verifyEvidenceBundle } from '../services/reports/evidence-bundle-verify.service.js';
import { CliExit, printJson, withContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';

/** `candor export case CASE --out FILE` and `candor verify-bundle FILE`. */
export function registerExportCommands(program: Command, io: CliIo): void {
  const exp = program.command('export').description('evidence for auditors');
  exp
    .command('case')
    .description(
      'write the evidence bundle of a case (zip): case, timeline, assessment, notices and approvals, deliveries, acknowledgements, reports, the audit slice with its anchor, and manifest.json with the SHA-256 of every file',
    )
    .argument('<case>', 'case reference or id')
    .requiredOption('--out <file>', 'the zip file to write')
    .option('--json', 'print the result as JSON')
    .action(async (caseKey: string, opts: { out: string; json?: boolean }) => {
      const out = path.resolve(opts.out);
      const result = await withContext(io, (ctx) =>
        exportEvidenceBundle(systemActor(), caseKey, out, { database: ctx.database }),
      );
      if (opts.json) return printJson(io, result);
      io.stdout.write(
        [
          `Wrote the evidence bundle of ${result.caseReference} to ${result.file}`,
          `  ${result.files.length} files, ${result.deliveries} deliveries, ${result.recipients} recipients, ${result.completions} remedy completions`,
          `  audit slice: ${result.auditEntries} entries of the case, ${result.auditLinks} other links, up to anchor entry ${result.anchor.seq}`,
          `manifest.json SHA-256: ${result.manifestSha256}`,
          `Keep this hash apart from the bundle; check with: candor verify-bundle ${opts.out} --manifest-sha256 ${result.manifestSha256}`,
          '',
        ].join('\n'),
      );
    });

  program
    .command('verify-bundle')
    .description(
      'check an evidence bundle: every file against manifest.json, the audit slice hashes and links, and the anchor; exits 1 naming the first file or entry that does not match',
    )
    .argument('<file>', 'the bundle (zip)')
    .option(
      '--manifest-sha256 <hash>',
      'the manifest hash printed at export: the manifest must have it',
    )
    .option('--json', 'print as JSON')
    .action(async (file: string, opts: { manifestSha256?: string; json?: boolean }) => {
      if (opts.manifestSha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(opts.manifestSha256)) {
        throw new CliExit('error: --manifest-sha256 must be 64 hex digits', 2);
      }
      const result = await verifyEvidenceBundle(file, { manifestSha256: opts.manifestSha256 });
      if (opts.json) printJson(io, result);
      else if (result.ok) {
        const anchor = result.audit.anchor;
        io.stdout.write(
          [
            `Bundle intact: ${result.files} files match manifest.json (SHA-256 ${result.manifestSha256})`,
            `Audit slice intact: ${result.audit.entries} entries of the case recomputed, ${result.audit.links} links followed${anchor ? `, ends at anchor entry ${anchor.seq} ${anchor.hash}` : ''}`,
            opts.manifestSha256
              ? 'The manifest has the hash given.'
              : 'Without --manifest-sha256 this shows the bundle agrees with itself; pass the hash printed at export to show it is the bundle exported.',
            '',
          ].join('\n'),
        );
      } else {
        const [first] = result.findings;
        io.stdout.write(`Bundle does NOT verify: ${describeFinding(first!)}\n`);
        if (result.findings.length > 1) {
          io.stdout.write(`All ${result.findings.length} findings:\n`);
          for (const f of result.findings) io.stdout.write(`  ${describeFinding(f)}\n`);
        }
      }
      if (!result.ok) io.exitCode = 1;
    });
}
