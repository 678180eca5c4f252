/**
 * The tokenizer of the filter language: hand-written, one token of lookahead, scanned on
 * demand so that the left-most problem in a filter is the one reported.
 */
import { FilterSyntaxError } from './filter-errors.js';

export type FilterSymbol = '(' | ')' | '[' | ']' | ',' | '.' | '=' | '!=' | '<' | '<=' | '>' | '>=';

interface TokenBase {
  /** The token as written (a string token includes its quotes). */
  text: string;
  /** 0-based offset of the first character. */
  position: number;
}
export type FilterToken =
  | (TokenBase & { kind: 'word' })
  | (TokenBase & { kind: 'string'; value: string })
  | (TokenBase & { kind: 'number'; value: number })
  | (TokenBase & { kind: 'symbol'; text: FilterSymbol })
  | (TokenBase & { kind: 'end' });

const WHITESPACE = /\s+/y;
// Identifiers: a letter or _ first, then letters, digits, _ and -. Marks (\p{M}) keep
// decomposed accents (e + U+0301) inside one word.
const WORD = /[\p{L}_][\p{L}\p{M}\p{N}_-]*/uy;
// After `attributes.` a key may start with a digit or a dash: `attributes.2fa`.
const KEY = /[\p{L}\p{M}\p{N}_-]+/uy;
const NUMBER = /-?(\d+)(\.\d+)?([eE][+-]?\d+)?/y;
const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;
const SYMBOLS: readonly FilterSymbol[] = [
  '!=',
  '<=',
  '>=',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  '=',
  '<',
  '>',
];

/** Habits from other languages, each with the way to say it here. */
const MISTAKES: readonly [string, string][] = [
  ['==', 'use = to compare'],
  ['<>', 'use != for "not equal"'],
  ['&&', 'use and'],
  ['||', 'use or'],
  ['&', 'use and'],
  ['|', 'use or'],
  ['!', 'use not, or != for "not equal"'],
  ['\u201c', 'use straight quotes " or \''],
  ['\u201d', 'use straight quotes " or \''],
  ['\u2018', 'use straight quotes " or \''],
  ['\u2019', 'use straight quotes " or \''],
  ['`', 'use " or \' for strings'],
];

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  '"': '"',
  "'": "'",
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Scans filter text into tokens on demand. */
export class FilterLexer {
  private offset = 0;
  private keyNext = false;
  private lookahead: FilterToken | null = null;

  constructor(readonly source: string) {}

  /** The next token, without consuming it. */
  peek(): FilterToken {
    return (this.lookahead ??= this.scan());
  }

  /** The next token, consumed. */
  next(): FilterToken {
    const token = this.peek();
    this.lookahead = null;
    return token;
  }

  /** A syntax error at `position` in this lexer's source. */
  fail(
    position: number,
    expected: string,
    found?: string,
    extra: { problem?: string; hint?: string } = {},
  ): never {
    throw new FilterSyntaxError({ source: this.source, position, expected, found, ...extra });
  }

  private scan(): FilterToken {
    const { source } = this;
    if (this.keyNext) {
      this.keyNext = false;
      KEY.lastIndex = this.offset;
      const key = KEY.exec(source);
      if (key) return this.take('word', key[0]);
    }
    WHITESPACE.lastIndex = this.offset;
    if (WHITESPACE.exec(source)) this.offset = WHITESPACE.lastIndex;
    const position = this.offset;
    if (position >= source.length) return { kind: 'end', text: '', position };
    const c = source[position]!;
    if (c === '"' || c === "'") return this.scanString(c);
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source[position + 1] ?? ''))) {
      return this.scanNumber();
    }
    WORD.lastIndex = position;
    const word = WORD.exec(source);
    if (word) return this.take('word', word[0]);
    const symbol = SYMBOLS.find((s) => source.startsWith(s, position));
    // The longer spelling wins: "!=" is a symbol, "==" a mistake, "=" a symbol.
    const mistake = MISTAKES.find(([text]) => source.startsWith(text, position));
    if (mistake && (!symbol || mistake[0].length > symbol.length)) {
      const [text, hint] = mistake;
      this.fail(position, 'an operator', `"${text}"`, {
        problem: `"${text}" is not part of the filter language`,
        hint,
      });
    }
    if (symbol) {
      if (symbol === '.') this.keyNext = true;
      return this.take('symbol', symbol);
    }
    const char = String.fromCodePoint(source.codePointAt(position)!);
    return this.fail(
      position,
      'a field name, a value or an operator',
      `the character ${JSON.stringify(char)}`,
    );
  }

  private take(kind: 'word' | 'symbol', text: string): FilterToken {
    const position = this.offset;
    this.offset += text.length;
    // A symbol's text is one of FilterSymbol: take() is only called with SYMBOLS entries.
    return { kind, text, position } as FilterToken;
  }

  private scanNumber(): FilterToken {
    const { source } = this;
    const position = this.offset;
    NUMBER.lastIndex = position;
    const match = NUMBER.exec(source)!;
    const text = match[0];
    const end = position + text.length;
    const integer = match[1]!;
    if (integer.length > 1 && integer.startsWith('0')) {
      this.fail(position, 'a number', `${text}`, {
        problem: `a number cannot start with 0 (${text})`,
        hint: `if it is text, quote it: "${text}"`,
      });
    }
    const after = source[end] ?? '';
    if (after === '.') {
      this.fail(end, 'digits after the decimal point', `"${after}"`, {
        hint: 'numbers are written like 42, -3.5 or 1e6',
      });
    }
    if (WORD_CHAR.test(after) || after === '-') {
      this.fail(
        position,
        'a number or a name',
        JSON.stringify(text + source.slice(end).match(/^[\p{L}\p{M}\p{N}_-]*/u)![0]),
        {
          problem: 'a name cannot start with a digit',
          hint: 'quote text ("12abc"); for such an attribute write attributes["12abc"]',
        },
      );
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      this.fail(position, 'a number within range', text, {
        problem: `the number ${text} is out of range`,
      });
    }
    this.offset = end;
    return { kind: 'number', text, value, position };
  }

  private scanString(quote: string): FilterToken {
    const { source } = this;
    const position = this.offset;
    let value = '';
    let i = position + 1;
    for (;;) {
      const c = source[i];
      if (c === undefined || c === '\n') {
        this.fail(
          position,
          `a closing ${quote}`,
          c === undefined ? 'the end of the filter' : 'the end of the line',
          {
            problem: `unterminated string: expected a closing ${quote} for the string that starts here`,
          },
        );
      }
      if (c === quote) break;
      if (c === '\\') {
        const e = source[i + 1] ?? '';
        if (e === 'u') {
          const hex = source.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.fail(i, 'four hex digits after \\u', `"${source.slice(i, i + 6)}"`);
          }
          value += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        const decoded = ESCAPES[e];
        if (decoded === undefined) {
          this.fail(i, 'a known escape such as \\n, \\" or \\uXXXX', `"\\${e}"`, {
            hint: 'write \\\\ for a backslash',
          });
        }
        value += decoded;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    // The stores cannot hold these (PostgreSQL rejects both), so neither can a value to match.
    if (value.includes('\0')) {
      this.fail(position, 'a string without U+0000', undefined, {
        problem: 'a string cannot contain U+0000 (NUL)',
      });
    }
    if (UNPAIRED_SURROGATE.test(value)) {
      this.fail(position, 'a valid Unicode string', undefined, {
        problem: 'the string contains half of a \\u surrogate pair',
        hint: 'write the character itself',
      });
    }
    this.offset = i + 1;
    return { kind: 'string', text: source.slice(position, i + 1), value, position };
  }
}

/** How a token is named in an error message. */
export function describeToken(token: FilterToken): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the filter';
    case 'string':
      return `the string ${abbreviate(token.text)}`;
    case 'number':
      return `the number ${token.text}`;
    case 'word':
      return `"${abbreviate(token.text)}"`;
    case 'symbol':
      return `"${token.text}"`;
  }
}

function abbreviate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
