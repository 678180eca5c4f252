import type { Token as MdToken } from 'markdown-it';

/**
 * Marks the line under a heading; `finishPlainText` replaces it with `=`/`-` as long as the
 * heading once the placeholders are filled in (only then is the length known).
 */
export const UNDERLINE_MARK = '\uE000';

interface BlockNode {
  token: MdToken;
  children: BlockNode[];
}

/** Options for the plain-text rendering of a Markdown token stream. */
export interface PlainTextOptions {
  /** Whether a paragraph holds nothing but Liquid tags (it renders as a bare line). */
  isTagsOnly(token: MdToken): boolean;
  /** Two strings that are the same link once placeholders are put back (`text` = `url`). */
  sameLink(text: string, href: string): boolean;
  /** Human-readable form of an href (percent-decoded, as markdown-it does for link text). */
  displayHref(href: string): string;
}

/**
 * Renders markdown-it block tokens as readable plain text: paragraphs separated by a blank line,
 * lists with "- " or "1. ", links as "text (url)", headings underlined, quotes with "> ".
 */
export function renderPlainText(tokens: MdToken[], options: PlainTextOptions): string {
  return renderBlocks(buildTree(tokens), '\n\n', options);
}

function buildTree(tokens: MdToken[]): BlockNode[] {
  const root: BlockNode[] = [];
  const stack: BlockNode[][] = [root];
  for (const token of tokens) {
    const siblings = stack[stack.length - 1]!;
    if (token.nesting === 1) {
      const node: BlockNode = { token, children: [] };
      siblings.push(node);
      stack.push(node.children);
    } else if (token.nesting === -1) {
      stack.pop();
    } else {
      siblings.push({ token, children: [] });
    }
  }
  return root;
}

function renderBlocks(nodes: BlockNode[], separator: string, options: PlainTextOptions): string {
  const parts: string[] = [];
  for (const node of nodes) {
    const text = renderBlock(node, options);
    if (text !== '') parts.push(text);
  }
  return parts.join(separator);
}

function renderBlock(node: BlockNode, options: PlainTextOptions): string {
  const { token } = node;
  switch (token.type) {
    case 'paragraph_open':
      return inlineOf(node, options);
    case 'heading_open': {
      const text = inlineOf(node, options);
      return `${text}\n${UNDERLINE_MARK}${token.tag === 'h1' ? '=' : '-'}`;
    }
    case 'bullet_list_open':
    case 'ordered_list_open':
      return renderList(node, options);
    case 'blockquote_open':
      return prefixLines(renderBlocks(node.children, '\n\n', options), '> ', '>');
    case 'fence':
    case 'code_block':
      return prefixLines(token.content.replace(/\n$/, ''), '    ', '');
    case 'hr':
      return '----------';
    case 'table_open':
      return renderTable(node, options);
    case 'inline':
      return renderInline(token.children ?? [], options);
    default:
      return renderBlocks(node.children, '\n\n', options);
  }
}

function inlineOf(node: BlockNode, options: PlainTextOptions): string {
  const inline = node.children.find((c) => c.token.type === 'inline');
  return inline ? renderInline(inline.token.children ?? [], options) : '';
}

function renderList(node: BlockNode, options: PlainTextOptions): string {
  const ordered = node.token.type === 'ordered_list_open';
  let number = Number(node.token.attrGet('start') ?? 1);
  const items = node.children.filter((c) => c.token.type === 'list_item_open');
  // markdown-it hides the paragraphs of a tight list; a loose one keeps blank lines.
  const loose = items.some((item) =>
    item.children.some(
      (c) => c.token.type === 'paragraph_open' && !c.token.hidden && !options.isTagsOnly(c.token),
    ),
  );
  const rendered = items.map((item) => {
    const marker = ordered ? `${number++}. ` : '- ';
    const content = renderBlocks(item.children, loose ? '\n\n' : '\n', options);
    return marker + indentFollowing(content, ' '.repeat(marker.length));
  });
  return rendered.join(loose ? '\n\n' : '\n');
}

function renderTable(node: BlockNode, options: PlainTextOptions): string {
  const rows: string[] = [];
  const walk = (n: BlockNode): void => {
    if (n.token.type === 'tr_open') {
      const cells = n.children.map((cell) => inlineOf(cell, options));
      rows.push(cells.join(' | '));
      return;
    }
    n.children.forEach(walk);
  };
  node.children.forEach(walk);
  return rows.join('\n');
}

function renderInline(tokens: MdToken[], options: PlainTextOptions): string {
  let out = '';
  const links: { start: number; href: string }[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
      case 'code_inline':
        out += token.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'link_open':
        links.push({ start: out.length, href: String(token.attrGet('href') ?? '') });
        break;
      case 'link_close': {
        const link = links.pop();
        if (!link) break;
        const text = out.slice(link.start);
        if (!options.sameLink(text, link.href)) out += ` (${options.displayHref(link.href)})`;
        break;
      }
      default:
        // Emphasis, strike-through: the words stay, the markers go.
        break;
    }
  }
  return out;
}

function indentFollowing(text: string, indent: string): string {
  return text.replace(/\n(?!\n|$)/g, `\n${indent}`);
}

function prefixLines(text: string, prefix: string, emptyPrefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? emptyPrefix : prefix + line))
    .join('\n');
}

/**
 * Per-recipient finishing of the plain-text part: underline headings to their real length,
 * drop list items and paragraphs that Liquid left empty, at most one blank line in a row.
 * Runs a million times per dispatch, so each pass is skipped unless its cheap test hits.
 */
export function finishPlainText(text: string): string {
  let out = text.includes(UNDERLINE_MARK) ? underline(text) : text;
  // An empty list item ("- ") or a trailing blank always leaves a space or tab before a newline.
  const last = out[out.length - 1];
  if (out.includes(' \n') || out.includes('\t\n') || last === ' ' || last === '\t') {
    out = out.replace(/^[ \t]*(?:-|\d+\.)[ \t]*(?:\n|$)/gm, '').replace(/[ \t]+(?=\n|$)/g, '');
  }
  if (out.includes('\n\n\n')) out = out.replace(/\n{3,}/g, '\n\n');
  return out.trim();
}

function underline(text: string): string {
  let out = '';
  let from = 0;
  for (
    let mark = text.indexOf(UNDERLINE_MARK);
    mark !== -1;
    mark = text.indexOf(UNDERLINE_MARK, from)
  ) {
    // text[mark - 1] is the newline after the heading; the heading starts after the one before.
    const lineStart = text.lastIndexOf('\n', mark - 2) + 1;
    const heading = text.slice(lineStart, mark - 1).trim();
    const char = text[mark + 1] ?? '-';
    out += text.slice(from, mark) + char.repeat(Math.max(3, Array.from(heading).length));
    from = mark + 2;
  }
  return out + text.slice(from);
}
