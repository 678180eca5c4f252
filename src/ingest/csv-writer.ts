/**
 * CSV serialisation for files that go back into an import or out to a spreadsheet.
 *
 * Records end in a bare `\n`, not the CRLF that RFC 4180 prescribes: these files are
 * produced for Candor's own import and for Unix tools (`wc -l`, `split`, `grep`), and every
 * reader we care about (Excel, LibreOffice, PostgreSQL COPY, Python's csv) accepts LF.
 * Quoting otherwise follows RFC 4180.
 */

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvRecordOptions {
  /** Field separator; `;` is what Excel expects under a Dutch locale. Default `,`. */
  delimiter?: CsvDelimiter;
  /** Prefix cells a spreadsheet would evaluate as a formula with `'`. Default `false`. */
  neutraliseFormulas?: boolean;
}

const SPECIAL_CHARS: Readonly<Record<CsvDelimiter, RegExp>> = {
  ',': /[",\r\n]/,
  ';': /[";\r\n]/,
  '\t': /["\t\r\n]/,
};

const SPACE = 0x20;
const TAB = 0x09;

// Leading/trailing whitespace is quoted because several readers trim unquoted fields,
// which would silently change the value. Checked by char code rather than with `^ | $`
// in the regex, which would make the engine try the anchored alternatives at every position.
function needsQuotes(field: string, special: RegExp): boolean {
  const first = field.charCodeAt(0);
  const last = field.charCodeAt(field.length - 1);
  return first === SPACE || first === TAB || last === SPACE || last === TAB || special.test(field);
}

// Exactly OWASP's CSV-injection list: Excel and LibreOffice evaluate a cell starting with
// `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(...)`, `+cmd|...`), and a leading tab or
// carriage return can be stripped by the spreadsheet so that the next character triggers it.
// We deliberately do not try to be cleverer (e.g. let `-12.50` through as a number): a
// customer-controlled name or street must never run as a formula on an operator's laptop,
// and a harmless `-` shown as `'-` is the accepted price.
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/** Serialise one CSV record, terminated by `\n`; null and undefined become empty fields. */
export function csvRecord(
  fields: readonly (string | null | undefined)[],
  options?: CsvRecordOptions,
): string {
  const delimiter = options?.delimiter ?? ',';
  const neutralise = options?.neutraliseFormulas ?? false;
  const special = SPECIAL_CHARS[delimiter];
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += delimiter;
    let field = fields[i];
    if (field === null || field === undefined || field === '') continue;
    // Neutralise before quoting so the `'` ends up inside the quotes, where the
    // spreadsheet sees it as the first character of the cell.
    if (neutralise && FORMULA_TRIGGER.test(field)) field = `'${field}`;
    line += needsQuotes(field, special) ? `"${field.replaceAll('"', '""')}"` : field;
  }
  return `${line}\n`;
}
