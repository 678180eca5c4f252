import { describe, expect, it } from 'vitest';
import { decodeBody, parseContentType, parseMimePart } from './dsn-mime.js';

describe('parseMimePart and parseContentType', () => {
  it('parses Content-Type parameters, quoted or not', () => {
    expect(
      parseContentType('Multipart/Report; report-type="delivery-status";\tboundary="a;b"'),
    ).toEqual({
      type: 'multipart/report',
      params: { 'report-type': 'delivery-status', boundary: 'a;b' },
    });
    expect(parseContentType(undefined).type).toBe('text/plain');
    expect(parseContentType('garbage').type).toBe('text/plain');
  });

  it('walks multiparts with physical line numbers and decodes quoted-printable', () => {
    const part = parseMimePart(
      [
        'Content-Type: multipart/mixed; boundary=XX',
        '',
        'preamble',
        '--XX',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'caf=C3=A9 and a soft=',
        ' break',
        '--XX--',
        'epilogue',
      ],
      1,
    );
    expect(part.children).toHaveLength(1);
    const [child] = part.children;
    expect(child?.bodyLine).toBe(7);
    expect(child && decodeBody(child)).toEqual(['café and a soft break']);
  });
});
