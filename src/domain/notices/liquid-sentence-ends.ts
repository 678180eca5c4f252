import {
  CaseTag,
  ForTag,
  IfTag,
  Output,
  TypeGuards,
  UnlessTag,
  toValue,
  type Context,
  type Emitter,
  type Template,
} from 'liquidjs';
import { endsSentence } from '../sentence.js';

/*
 * No double full stop from a value that ends a sentence itself. With the organisation name
 * "Voorbeeld Hosting B.V.", `bij {{ organisation.name }}. Wij…` would print "B.V.. Wij…".
 *
 * The rule, applied to every parsed notice template (built-in or written by an author, subject,
 * HTML and text parts, Markdown source of public texts): when an output is directly followed by
 * literal text that starts with a full stop, and the value as written ends in `.`, `!`, `?` or
 * `…`, that literal full stop is dropped. The value itself is never changed (a dot inside or at
 * the end of a name stays), an ellipsis written after an output (`{{ x }}...`) is kept, and so
 * is a dot that starts a word (`{{ host }}.example.nl`, `{{ major }}.5`). Closing inline markup
 * between the value and the full stop (`</strong>`, `</a>`, Markdown `**`) does not hide it:
 * `**{{ organisation.name }}**.` renders alike in the HTML and text parts.
 *
 * Why drop the literal rather than strip the value's own dot: the literal's full stop is
 * redundant, the value's is not (it may be an abbreviation, "?" or "…"), and dropping it covers
 * every sentence-final mark with one rule.
 *
 * How: it is done once, after parsing (NoticeLiquid.parse in liquid-engine.ts), so every path
 * that parses through the notice engine gets it — the fast renderer (liquid-fast-render.ts
 * compiles the pair into one closure), LiquidJS's own renderSync, and parseAndRenderSync. For
 * LiquidJS the output records per render context whether its value ended a sentence, and the
 * literal right after it reads that. Only direct neighbours in one block are joined: an output
 * at the end of an `{% if %}` branch followed by `{% endif %}.` is not.
 */

/** Closing inline markup (HTML or Markdown) that may sit between a value and its full stop. */
const SENTENCE_DOT =
  /^((?:<\/(?:a|b|code|del|em|i|s|strong)>|\*{1,3}|_{1,3}|~~|`)*)\.(?![.\p{L}\p{N}])/u;

/** An output whose value decides whether the literal after it keeps its leading full stop. */
export interface SentenceJoint {
  /** The literal template right after the output. */
  readonly literal: Template;
  /** The literal as written. */
  readonly withDot: string;
  /** The literal without its leading full stop, for after a value that ends a sentence. */
  readonly withoutDot: string;
}

const joints = new WeakMap<Template, SentenceJoint>();

/** The joint of an output, when `joinSentenceEnds` found a full stop right after it. */
export function sentenceJointOf(output: Template): SentenceJoint | undefined {
  return joints.get(output);
}

/** LiquidJS's `stringify`: what an output writes. */
export function outputString(value: unknown): string {
  const v: unknown = toValue(value);
  if (typeof v === 'string') return v;
  if (v == null) return '';
  if (Array.isArray(v)) return v.map((x) => outputString(x)).join('');
  // Numbers, booleans and objects print as JavaScript does (`[object Object]`), like LiquidJS.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(v);
}

/** The literal text after an output with its sentence full stop removed, or null if none. */
export function withoutSentenceDot(literal: string): string | null {
  const m = SENTENCE_DOT.exec(literal);
  return m ? m[1]! + literal.slice(m[0].length) : null;
}

/** Applies the rule above to parsed templates, in place, and returns them. */
export function joinSentenceEnds(templates: Template[]): Template[] {
  for (let i = 0; i < templates.length; i++) {
    const tpl = templates[i]!;
    for (const block of blocksOf(tpl)) joinSentenceEnds(block);
    const next = templates[i + 1];
    if (!(tpl instanceof Output) || !next || !TypeGuards.isHTMLToken(next.token)) continue;
    if (joints.has(tpl)) continue;
    const withDot = next.token.getContent();
    const withoutDot = withoutSentenceDot(withDot);
    if (withoutDot !== null) join(tpl, { literal: next, withDot, withoutDot });
  }
  return templates;
}

function join(output: Output, joint: SentenceJoint): void {
  joints.set(output, joint);
  // Per render context: one parsed template may be rendered by several renders at once.
  const ended = new WeakMap<Context, boolean>();
  const renderOutput = output.render.bind(output);
  output.render = function* (ctx: Context, emitter: Emitter) {
    let written = '';
    const spy: Emitter = {
      write(html: unknown) {
        written += outputString(html);
        emitter.write(html);
      },
      get buffer() {
        return emitter.buffer;
      },
      set buffer(value: string) {
        emitter.buffer = value;
      },
    };
    yield renderOutput(ctx, spy);
    ended.set(ctx, endsSentence(written));
  };
  joint.literal.render = (ctx: Context, emitter: Emitter) => {
    emitter.write(ended.get(ctx) === true ? joint.withoutDot : joint.withDot);
    ended.delete(ctx);
  };
}

/** The nested template lists of the block tags notices may use. */
function blocksOf(tpl: Template): Template[][] {
  if (tpl instanceof IfTag || tpl instanceof UnlessTag || tpl instanceof CaseTag) {
    return [...tpl.branches.map((b) => b.templates), tpl.elseTemplates ?? []];
  }
  if (tpl instanceof ForTag) return [tpl.templates, tpl.elseTemplates];
  return [];
}
