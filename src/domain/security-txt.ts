/**
 * /.well-known/security.txt (RFC 9116): how to report a vulnerability to this provider, and
 * where its advisories are. Rendered at request time from the settings (and re-rendered at
 * least daily), so Expires always lies the same distance ahead and never lapses.
 */

export interface SecurityTxtInput {
  contactEmail: string;
  contactPhone: string;
  /** The public URL of the installation (https in production). */
  publicUrl: string;
  /** The security page, whose text is the disclosure policy. */
  policyPath: string;
  /** Where the signing key's public half is, if there is one. */
  encryptionUrl: string | null;
  now: Date;
  /** The published security posture statement, if any (a comment line points to it). */
  posturePath?: string | null;
  /** Days ahead Expires lies (RFC 9116 recommends less than a year). */
  expiresInDays?: number;
}

/** Days ahead `Expires` lies by default: half a year, well inside the RFC's one year. */
export const SECURITY_TXT_EXPIRES_DAYS = 180;

/** The unsigned security.txt body (LF line ends, UTF-8). */
export function buildSecurityTxt(input: SecurityTxtInput): string {
  const base = input.publicUrl.replace(/\/+$/, '');
  const expires = new Date(
    input.now.getTime() + (input.expiresInDays ?? SECURITY_TXT_EXPIRES_DAYS) * 86_400_000,
  );
  // Whole seconds, UTC: the RFC 3339 form RFC 9116 shows.
  const expiresText = `${expires.toISOString().slice(0, 19)}Z`;
  const fields: [string, string][] = [['Contact', `mailto:${input.contactEmail}`]];
  // "+31 (0)20 …": the bracketed trunk zero is not dialled from abroad.
  const phone = input.contactPhone.replace(/\(0\)/g, '').replace(/[^+0-9]/g, '');
  if (/^\+?[0-9]{6,}$/.test(phone)) fields.push(['Contact', `tel:${phone}`]);
  fields.push(['Expires', expiresText]);
  if (input.encryptionUrl) fields.push(['Encryption', input.encryptionUrl]);
  fields.push(
    ['Preferred-Languages', 'nl, en'],
    ['Canonical', `${base}/.well-known/security.txt`],
    ['Policy', `${base}${input.policyPath}`],
    ['CSAF', `${base}/.well-known/csaf/provider-metadata.json`],
  );
  const header = [
    '# Security contact of this service: how to report a vulnerability to us.',
    '# Beveiligingscontact van deze dienst: zo meldt u een kwetsbaarheid bij ons.',
  ];
  // RFC 9116 has no field for it; a comment keeps parsers happy and people informed.
  if (input.posturePath) {
    header.push(
      `# Our security posture statement / onze beveiligingsverklaring: ${base}${input.posturePath}`,
    );
  }
  return `${[...header, ...fields.map(([k, v]) => `${k}: ${v}`)].join('\n')}\n`;
}
