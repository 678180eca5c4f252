/**
 * Where a printed letter goes and whether it can go at all. Pure: the service decides who is
 * written to (those email cannot reach), this decides what stands in the envelope's window.
 */

/** The postal fields of a frozen recipient. */
export interface PostalFacts {
  name: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
}

/** Why a recipient cannot get a letter: the fields that are missing, named as in the registry. */
export type NotPrintableReason = 'no street' | 'no postal_code' | 'no city';

export type LetterAddress =
  { printable: true; lines: string[] } | { printable: false; reasons: NotPrintableReason[] };

/** A window holds six address lines at 10 pt (DIN 5008 form B's address zone). */
export const MAX_ADDRESS_LINES = 6;

/** Country names for the last address line (UPU: in capitals, in a language the sender's post reads). */
const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  NL: 'NEDERLAND',
  BE: 'BELGIE',
  DE: 'DEUTSCHLAND',
  FR: 'FRANCE',
  GB: 'UNITED KINGDOM',
  IE: 'IRELAND',
  LU: 'LUXEMBOURG',
  AT: 'OSTERREICH',
  CH: 'SCHWEIZ',
  DK: 'DANMARK',
  SE: 'SVERIGE',
  ES: 'ESPANA',
  IT: 'ITALIA',
  US: 'UNITED STATES',
};

/** Countries that write the postcode on its own line below the town. */
const POSTCODE_BELOW = new Set(['GB', 'IE']);

const clean = (value: string | null): string => (value ?? '').replace(/\s+/g, ' ').trim();

/**
 * The address lines of a recipient, or why there are none. Street, postcode and town are
 * required; the name is not (the post delivers to the address). The country line is always
 * written when the registry has one: it costs nothing on domestic mail and is required abroad.
 */
export function letterAddress(facts: PostalFacts): LetterAddress {
  const street = clean(facts.street);
  const postalCode = clean(facts.postalCode);
  const city = clean(facts.city);
  const reasons: NotPrintableReason[] = [];
  if (street === '') reasons.push('no street');
  if (postalCode === '') reasons.push('no postal_code');
  if (city === '') reasons.push('no city');
  if (reasons.length > 0) return { printable: false, reasons };
  const country = clean(facts.country).toUpperCase();
  const lines: string[] = [];
  const name = clean(facts.name);
  if (name !== '') lines.push(name);
  lines.push(...street.split(/\s*[\n,]\s*/).filter(Boolean));
  if (POSTCODE_BELOW.has(country)) lines.push(city.toUpperCase(), postalCode.toUpperCase());
  else lines.push(`${postalCode}  ${city.toUpperCase()}`);
  if (country !== '') lines.push(COUNTRY_NAMES[country] ?? country);
  // Too many lines would run out of the window: keep the name and the last lines the post reads.
  if (lines.length > MAX_ADDRESS_LINES) lines.splice(1, lines.length - MAX_ADDRESS_LINES);
  return { printable: true, lines };
}
