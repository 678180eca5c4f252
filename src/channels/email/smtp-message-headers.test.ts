import { describe, expect, it } from 'vitest';
import {
  decodeEncodedWords,
  headerSectionLines,
  headerValue,
  parseHeaderLines,
} from './smtp-message-headers.js';

describe('parseHeaderLines', () => {
  it('unfolds continuation lines and keeps the line each field starts on', () => {
    const { fields, invalidLines } = parseHeaderLines(
      ['Subject: one', '\ttwo', 'X-Empty:', 'not a field', '  three'],
      10,
    );
    expect(fields).toEqual([
      { name: 'Subject', key: 'subject', value: 'one two', line: 10 },
      { name: 'X-Empty', key: 'x-empty', value: 'three', line: 12 },
    ]);
    expect(invalidLines).toEqual([13]);
    expect(headerValue(fields, 'SUBJECT')).toBe('one two');
  });

  it('reads the header section of a raw message with CRLF or LF', () => {
    expect(headerSectionLines(Buffer.from('A: 1\r\nB: 2\r\n\r\nbody\r\n'))).toEqual([
      'A: 1',
      'B: 2',
    ]);
    expect(headerSectionLines(Buffer.from('A: 1\n\nC: body'))).toEqual(['A: 1']);
  });
});

describe('decodeEncodedWords', () => {
  it('decodes B and Q words, joins adjacent ones and keeps plain text', () => {
    expect(decodeEncodedWords('=?utf-8?Q?Wijzig_uw_wachtwoord=3A_n=C3=BA?=')).toBe(
      'Wijzig uw wachtwoord: nú',
    );
    expect(decodeEncodedWords('Re: =?UTF-8?B?w6nDqW4=?= actie')).toBe('Re: één actie');
    // A character split over two words is reassembled before decoding.
    expect(decodeEncodedWords('=?utf-8?Q?=C3?= =?utf-8?Q?=A9?=')).toBe('é');
    expect(decodeEncodedWords('=?iso-8859-1*nl?Q?caf=E9?=')).toBe('café');
    expect(decodeEncodedWords('=?x-unknown?Q?abc?=')).toBe('=?x-unknown?Q?abc?=');
  });
});
