import { randomBytes } from 'node:crypto';
import MarkdownIt, { type Token as MdToken } from 'markdown-it';
import { TypeGuards, Tokenizer, type Liquid } from 'liquidjs';
import { SAFE_URL_FILTER, positionAt, type TemplateProblem } from './liquid-engine.js';
import { renderPlainText } from './markdown-text.js';

/**
 * Markdown is compiled once per notice version, never per recipient: every Liquid tag is
 * swapped for an opaque word, Markdown renders, and the tags are put back. The result is two
 * Liquid templates — HTML (outputs escaped by the HTML Liquid instance) and plain text — that
 * are rendered per recipient. Substituted values therefore never pass through Markdown and can
 * never become markup or links.
 */
export interface MarkdownTemplates {
  html: string;
  text: string;
}

/** Inline styles: mail clients ignore most `<style>` blocks, so each element carries its own. */
const STYLES: Record<string, string> = {
  p: 'margin:0 0 16px 0;',
  h1: 'margin:0 0 16px 0;font-size:24px;line-height:1.3;font-weight:700;',
  h2: 'margin:28px 0 12px 0;font-size:20px;line-height:1.3;font-weight:700;',
  h3: 'margin:24px 0 8px 0;font-size:18px;line-height:1.3;font-weight:700;',
  h4: 'margin:20px 0 8px 0;font-size:16px;line-height:1.3;font-weight:700;',
  ul: 'margin:0 0 16px 0;padding:0 0 0 24px;',
  ol: 'margin:0 0 16px 0;padding:0 0 0 24px;',
  li: 'margin:0 0 8px 0;',
  a: 'color:#1d4ed8;text-decoration:underline;',
  blockquote: 'margin:0 0 16px 0;padding:0 0 0 12px;border-left:4px solid #9ca3af;',
  code: 'font-family:Consolas,Menlo,monospace;font-size:16px;',
  pre: 'margin:0 0 16px 0;padding:12px;white-space:pre-wrap;font-family:Consolas,Menlo,monospace;font-size:16px;border:1px solid #d1d5db;',
  hr: 'border:0;border-top:1px solid #d1d5db;margin:24px 0;',
  table: 'border-collapse:collapse;margin:0 0 16px 0;',
  th: 'border:1px solid #d1d5db;padding:6px 8px;text-align:left;',
  td: 'border:1px solid #d1d5db;padding:6px 8px;',
};

const ALLOWED_LINK = /^(?:https?:\/\/|mailto:)/;

interface LiquidPiece {
  kind: 's' | 'o';
  /** Tag name for statements (`if`, `endif`…). */
  name: string;
  text: string;
  begin: number;
  /** For outputs: `{{-`/`-}}` and the expression, to add a filter. */
  trimLeft: boolean;
  trimRight: boolean;
  content: string;
}

const OPENERS = new Set(['if', 'unless', 'case', 'for']);
const MIDDLES = new Set(['elsif', 'else', 'when']);
const VOID_ELEMENTS = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'wbr']);

/** Compiles a Markdown+Liquid body into HTML and text Liquid templates, or reports problems. */
export function compileMarkdownTemplate(
  source: string,
  liquid: Liquid,
  part: string,
): { templates: MarkdownTemplates; problems: TemplateProblem[] } {
  const prefix = uniquePrefix(source);
  const pieces: LiquidPiece[] = [];
  let markdown = '';
  const tokens = new Tokenizer(source, liquid.options.operators).readTopLevelTokens(liquid.options);
  for (const token of tokens) {
    if (TypeGuards.isHTMLToken(token)) {
      markdown += token.getText();
      continue;
    }
    const statement = TypeGuards.isTagToken(token);
    pieces.push({
      kind: statement ? 's' : 'o',
      name: statement ? token.name : '',
      text: token.getText(),
      begin: token.begin,
      trimLeft: token.trimLeft,
      trimRight: token.trimRight,
      content: token.content,
    });
    markdown += `${prefix}${statement ? 's' : 'o'}${pieces.length - 1}z`;
  }
  markdown = isolateTagLines(markdown, prefix);

  const md = createMarkdown(prefix);
  const mdTokens = md.parse(markdown, {});
  const tagsOnly = new RegExp(`^(?:\\s*${prefix}s\\d+z)+\\s*$`);
  markTagsOnlyParagraphs(mdTokens, tagsOnly);
  const html = md.renderer.render(mdTokens, md.options, {});
  const placeholder = new RegExp(`${prefix}([so])(\\d+)z`, 'g');
  const canonical = (s: string): string =>
    s.replace(placeholder, (_m, _k, i: string) => pieces[Number(i)]!.text.replace(/\s+/g, ''));
  const text = renderPlainText(mdTokens, {
    isTagsOnly: (t) => t.meta?.[TAGS_ONLY] === true,
    sameLink: (label, href) => {
      const a = canonical(label);
      const b = canonical(href);
      return a === b || `mailto:${a}` === b || `http://${a}` === b;
    },
    displayHref: (href) => md.normalizeLinkText(href.replace(/^mailto:/, '')),
  });

  const problems = [
    ...checkPlacement(html, 'HTML', pieces, placeholder, source, part),
    ...checkPlacement(text, 'text', pieces, placeholder, source, part),
  ];
  if (problems.length === 0)
    problems.push(...checkStructure(html, pieces, placeholder, source, part));
  const unique = dedupe(problems);
  if (unique.length > 0) return { templates: { html: '', text: '' }, problems: unique };

  return {
    templates: {
      html: restore(html.replace(/\{/g, '&#123;'), pieces, placeholder, true),
      // A `{` Markdown produced (from `\{`) must not start a Liquid tag next to a restored one.
      text: restore(
        text.replace(new RegExp(`\\{(?=[{%]|${prefix})`, 'g'), '{{ "{" }}'),
        pieces,
        placeholder,
        false,
      ),
    },
    problems: [],
  };
}

function uniquePrefix(source: string): string {
  const lower = source.toLowerCase();
  for (;;) {
    const letters = Array.from(randomBytes(8), (b) => String.fromCharCode(97 + (b % 26))).join('');
    const prefix = `lqx${letters}`;
    if (!lower.includes(prefix)) return prefix;
  }
}

/**
 * A line with only `{% … %}` tags is a block-level switch: give it blank lines around, so it
 * becomes its own (unwrapped) paragraph instead of gluing onto a neighbouring paragraph or list.
 */
function isolateTagLines(markdown: string, prefix: string): string {
  const tagLine = new RegExp(`^[ \\t]*(?:${prefix}s\\d+z[ \\t]*)+$`);
  const out: string[] = [];
  for (const line of markdown.split('\n')) {
    if (tagLine.test(line)) out.push('', line.trimEnd(), '');
    else out.push(line);
  }
  return out.join('\n');
}

function createMarkdown(prefix: string): ReturnType<typeof MarkdownIt> {
  const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false });
  // Images would load remote content (tracking, broken layout); authors get links instead.
  md.disable('image');
  // Only http(s) and mailto links; a link target that is a placeholder is checked per recipient.
  md.validateLink = (url: string) => {
    const s = url.trim().toLowerCase();
    return ALLOWED_LINK.test(s) || s.startsWith(prefix);
  };
  md.core.ruler.push('candor_inline_styles', (state) => {
    const style = (token: MdToken): void => {
      const css = STYLES[token.tag];
      if (css && token.nesting !== -1) token.attrSet('style', css);
    };
    for (const token of state.tokens) {
      style(token);
      token.children?.forEach(style);
    }
  });
  return md;
}

const TAGS_ONLY = 'candor-tags-only';

function markTagsOnlyParagraphs(tokens: MdToken[], tagsOnly: RegExp): void {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [open, inline, close] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
    if (
      open.type === 'paragraph_open' &&
      inline.type === 'inline' &&
      close.type === 'paragraph_close' &&
      tagsOnly.test(inline.content)
    ) {
      open.hidden = close.hidden = true;
      open.meta = { [TAGS_ONLY]: true };
    }
  }
}

/** Each statement exactly once and in order; each output at least once; no tag in an attribute. */
function checkPlacement(
  compiled: string,
  label: string,
  pieces: LiquidPiece[],
  placeholder: RegExp,
  source: string,
  part: string,
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const seen = new Array<number>(pieces.length).fill(0);
  let last = -1;
  for (const m of compiled.matchAll(placeholder)) {
    const i = Number(m[2]);
    seen[i]!++;
    if (m[1] === 's') {
      if (i < last) problems.push(problem(source, pieces[i]!, part, moved(pieces[i]!, label)));
      last = i;
    }
  }
  pieces.forEach((piece, i) => {
    const count = seen[i]!;
    // The text part may drop an output on purpose: `[{{ url }}]({{ url }})` prints the URL once.
    const lost = count === 0 && (piece.kind === 's' || label === 'HTML');
    if (lost || (piece.kind === 's' && count > 1)) {
      problems.push(problem(source, piece, part, moved(piece, label)));
    }
  });
  if (label === 'HTML') {
    for (const tag of compiled.matchAll(/<[a-z][^>]*>/g)) {
      for (const m of tag[0].matchAll(placeholder)) {
        if (m[1] !== 's') continue;
        const piece = pieces[Number(m[2])]!;
        problems.push(
          problem(
            source,
            piece,
            part,
            `${piece.text} cannot be used inside a link target or title; put the tag around the whole link`,
          ),
        );
      }
    }
  }
  return problems;
}

function moved(piece: LiquidPiece, label: string): string {
  return `${piece.text} ends up in a place the Markdown ${label} cannot keep (for example a link reference definition); write it in running text`;
}

/**
 * Every part of one Liquid block (`if`…`elsif`…`else`…`endif`) must sit inside the same HTML
 * element; otherwise a branch that is not taken would leave half an element behind.
 */
function checkStructure(
  html: string,
  pieces: LiquidPiece[],
  placeholder: RegExp,
  source: string,
  part: string,
): TemplateProblem[] {
  const scanner = new RegExp(`<(/?)([a-z][a-z0-9]*)\\b[^>]*>|${placeholder.source}`, 'g');
  const elements: number[] = [];
  let nextId = 0;
  const blocks: { piece: LiquidPiece; where: string }[] = [];
  let literalUntil: string | null = null;
  for (const m of html.matchAll(scanner)) {
    if (m[2] !== undefined) {
      const name = m[2];
      if (VOID_ELEMENTS.has(name)) continue;
      if (m[1] === '/') elements.pop();
      else elements.push(nextId++);
      continue;
    }
    if (m[3] !== 's') continue;
    const piece = pieces[Number(m[4])]!;
    if (literalUntil !== null) {
      // Tags inside a comment are text, not structure.
      if (piece.name === literalUntil) literalUntil = null;
      continue;
    }
    if (piece.name === 'comment' || piece.name === 'raw') {
      literalUntil = `end${piece.name}`;
      continue;
    }
    const where = elements.join('/');
    if (OPENERS.has(piece.name)) {
      blocks.push({ piece, where });
    } else if (MIDDLES.has(piece.name) || piece.name.startsWith('end')) {
      const open = blocks[blocks.length - 1];
      if (piece.name.startsWith('end')) blocks.pop();
      if (open && open.where !== where) {
        const at = positionAt(source, open.piece.begin);
        return [
          problem(
            source,
            piece,
            part,
            `${piece.text} is in a different paragraph, list item or heading than ${open.piece.text} (line ${at.line}); put block tags on their own line, or keep both inside one paragraph`,
          ),
        ];
      }
    }
  }
  return [];
}

function problem(
  source: string,
  piece: LiquidPiece,
  part: string,
  message: string,
): TemplateProblem {
  return { part, ...positionAt(source, piece.begin), message };
}

function dedupe(problems: TemplateProblem[]): TemplateProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function restore(
  compiled: string,
  pieces: LiquidPiece[],
  placeholder: RegExp,
  html: boolean,
): string {
  const pattern = html ? new RegExp(`(href=")?${placeholder.source}`, 'g') : placeholder;
  return compiled.replace(pattern, (...m: string[]) => {
    const [hrefStart, , index] = html ? [m[1], m[2], m[3]] : [undefined, m[1], m[2]];
    const piece = pieces[Number(index)]!;
    // Text between `{% raw %}` tags is already literal here (its braces were escaped above).
    if (piece.name === 'raw' || piece.name === 'endraw') return hrefStart ?? '';
    if (hrefStart && piece.kind === 'o') {
      // A placeholder that starts a link target decides the scheme: only http(s)/mailto pass.
      const open = piece.trimLeft ? '{{-' : '{{';
      const close = piece.trimRight ? '-}}' : '}}';
      return `${hrefStart}${open} ${piece.content.trim()} | ${SAFE_URL_FILTER} ${close}`;
    }
    return (hrefStart ?? '') + piece.text;
  });
}
