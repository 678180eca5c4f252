import {
  AssignTag,
  CommentTag,
  Context,
  ForTag,
  IfTag,
  InlineCommentTag,
  Output,
  RawTag,
  TypeGuards,
  UnlessTag,
  isTruthy,
  toValue,
  toValueSync,
  type Emitter,
  type Filter,
  type Liquid,
  type Template,
  type Token,
  type Value,
} from 'liquidjs';
import { endsSentence } from '../sentence.js';
import { outputString as stringify, sentenceJointOf } from './liquid-sentence-ends.js';
import { checkOutputSize, RENDER_LIMITS, TemplateLimitError } from './render-limits.js';

/*
 * LiquidJS renders through generators and checks a clock per node: ~4,000 renders/s of a
 * notice-sized template with strict options and escaping, too slow for a million personal
 * renders. This module compiles the parsed LiquidJS tree once into plain closures. It keeps
 * LiquidJS's semantics by reusing LiquidJS's own pieces (property reads via
 * `Context.readProperty`, operators, filters, truthiness) and only replaces the tree walk.
 * Constructs it does not cover (case, break/continue, for modifiers, forloop, ranges, filter
 * arguments that are variables) make the whole template fall back to `liquid.renderSync`;
 * the differential tests in liquid-fast-render.test.ts hold both paths to the same output.
 */

/** Thrown when a variable the template needs is undefined (strictVariables). */
export class UndefinedPlaceholderError extends Error {
  constructor(readonly path: string) {
    super(`undefined variable: ${path}`);
    this.name = 'UndefinedPlaceholderError';
  }
}

/**
 * Renders one compiled template for one scope, within the render limits (render-limits.ts):
 * `deadline` (a `performance.now()` time) lets the parts of one notice share a time budget.
 * Throws TemplateLimitError or LiquidJS's limit errors (see `renderLimitOf`).
 */
export type TemplateRenderer = (scope: object, deadline?: number) => string;

/** A compiled renderer and whether it is the fast path (false: LiquidJS's renderSync). */
export interface CompiledTemplate {
  render: TemplateRenderer;
  fast: boolean;
}

class Unsupported extends Error {}

type Scope = Record<string, unknown>;
interface Runtime {
  env: Scope;
  /** scopes[0] takes `assign`; `for` pushes its own. Searched from the top, like LiquidJS. */
  scopes: Scope[];
}
type Node = (rt: Runtime) => string;
type Expr = (rt: Runtime, lenient: boolean) => unknown;
type UnaryOperator = (operand: unknown, ctx: Context) => unknown;
type BinaryOperator = (lhs: unknown, rhs: unknown, ctx: Context) => unknown;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};
const ESCAPE_TEST = /[&<>"']/;
const ESCAPE_ALL = /[&<>"']/g;

/** LiquidJS's `escape` filter, without the generator. */
function escapeOutput(value: unknown): string {
  const s = stringify(value);
  return ESCAPE_TEST.test(s) ? s.replace(ESCAPE_ALL, (m) => ESCAPES[m] ?? m) : s;
}

/** LiquidJS's `toEnumerable`: what `for` iterates. */
function toEnumerable(value: unknown): unknown[] {
  const v: unknown = toValue(value);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.length > 0 ? [v] : [];
  if (v !== null && (typeof v === 'object' || typeof v === 'function')) {
    if (Symbol.iterator in v) return Array.from(v as Iterable<unknown>);
    return Object.keys(v).map((key) => [key, (v as Scope)[key]]);
  }
  return [];
}

/**
 * Compiles parsed templates into a fast renderer when every node is covered, else wraps
 * `liquid.renderSync`. Either way, undefined variables throw `UndefinedPlaceholderError` or a
 * LiquidJS error naming the variable.
 */
export function compileTemplate(liquid: Liquid, templates: Template[]): CompiledTemplate {
  try {
    const compiler = new FastCompiler(liquid);
    const body = compiler.sequence(templates);
    return {
      fast: true,
      render: (env, deadline = performance.now() + RENDER_LIMITS.timeMs) => {
        compiler.startRender(deadline);
        return checkOutputSize(body({ env: env as Scope, scopes: [Object.create(null) as Scope] }));
      },
    };
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    return {
      fast: false,
      render: (env, deadline = performance.now() + RENDER_LIMITS.timeMs) =>
        checkOutputSize(
          liquid.renderSync(templates, env, {
            renderLimit: Math.max(0, deadline - performance.now()),
          }) as string,
        ),
    };
  }
}

class FastCompiler {
  /** A context without variables: filters and operators read only its options and limits. */
  private readonly ctx: Context;
  private readonly escapeName: string;
  private readonly escapes: boolean;

  constructor(private readonly liquid: Liquid) {
    this.ctx = new Context({}, liquid.options, { sync: true }, { liquid });
    this.escapes = typeof liquid.options.outputEscape === 'function';
    this.escapeName = Object.prototype.toString.call(liquid.options.outputEscape);
  }

  /**
   * Fresh limits for one render: filters charge `ctx.memoryLimit` (append, join…), loops check
   * `ctx.renderLimit`. The compiled closures hold `ctx` itself, so its limiters are swapped.
   */
  startRender(deadline: number): void {
    const fresh = new Context({}, this.liquid.options, {
      sync: true,
      renderLimit: Math.max(0, deadline - performance.now()),
    });
    this.ctx.memoryLimit = fresh.memoryLimit;
    this.ctx.renderLimit = fresh.renderLimit;
  }

  sequence(templates: Template[]): Node {
    const nodes: Node[] = [];
    for (let i = 0; i < templates.length; i++) {
      const tpl = templates[i]!;
      const joint = tpl instanceof Output ? sentenceJointOf(tpl) : undefined;
      if (tpl instanceof Output && joint && templates[i + 1] === joint.literal) {
        // An output and the literal full stop after it (liquid-sentence-ends.ts): one node.
        const output = this.output(tpl.value);
        const { withDot, withoutDot } = joint;
        nodes.push((rt) => {
          const value = output(rt);
          return value + (endsSentence(value) ? withoutDot : withDot);
        });
        i++;
        continue;
      }
      const node = this.node(tpl);
      if (node) nodes.push(node);
    }
    if (nodes.length === 0) return () => '';
    if (nodes.length === 1) return nodes[0]!;
    return (rt) => {
      let out = '';
      for (let i = 0; i < nodes.length; i++) out += nodes[i]!(rt);
      return out;
    };
  }

  private node(tpl: Template): Node | null {
    if (TypeGuards.isHTMLToken(tpl.token) || tpl instanceof RawTag) {
      const text = this.staticText(tpl);
      return text === '' ? null : () => text;
    }
    if (tpl instanceof Output) return this.output(tpl.value);
    if (tpl instanceof IfTag) return this.ifTag(tpl);
    if (tpl instanceof UnlessTag) return this.unlessTag(tpl);
    if (tpl instanceof ForTag) return this.forTag(tpl);
    if (tpl instanceof AssignTag) return this.assignTag(tpl);
    if (tpl instanceof CommentTag || tpl instanceof InlineCommentTag) return null;
    throw new Unsupported();
  }

  /** Text and raw blocks render the same for every scope: render them once, now. */
  private staticText(tpl: Template): string {
    const emitter: Emitter & { buffer: string } = {
      buffer: '',
      write(html: unknown) {
        this.buffer += stringify(html);
      },
    };
    const html: unknown = toValueSync(tpl.render(this.ctx, emitter));
    return emitter.buffer + (typeof html === 'string' ? html : '');
  }

  private output(value: Value): Node {
    const filters = value.filters.slice();
    let escape = false;
    if (this.escapes) {
      const last = filters[filters.length - 1];
      if (!last || last.name !== this.escapeName) throw new Unsupported();
      filters.pop();
      escape = true;
    }
    const evaluate = this.value(value.initial.postfix, filters);
    return escape
      ? (rt) => escapeOutput(evaluate(rt, false))
      : (rt) => stringify(evaluate(rt, false));
  }

  /** `Value.value`: the expression, then the filters; `default` first makes it lenient. */
  private value(postfix: Token[], filters: Filter[]): Expr {
    const initial = this.expression(postfix);
    const lenientDefault = this.liquid.options.lenientIf && filters[0]?.name === 'default';
    const applied = filters.map((f) => this.filter(f));
    if (applied.length === 0) return initial;
    return (rt, lenient) => {
      let v = initial(rt, lenient || lenientDefault);
      for (let i = 0; i < applied.length; i++) v = applied[i]!(v);
      return v;
    };
  }

  private filter(filter: Filter): (v: unknown) => unknown {
    for (const arg of filter.args) {
      // Arguments that are variables would be read from our empty context: not covered.
      const token = Array.isArray(arg) ? arg[1] : arg;
      if (token && !('content' in token)) throw new Unsupported();
    }
    const ctx = this.ctx;
    return (v): unknown => toValueSync(filter.render(v, ctx)) as unknown;
  }

  private expression(postfix: Token[]): Expr {
    if (postfix.length === 1 && !TypeGuards.isOperatorToken(postfix[0])) {
      return this.operand(postfix[0]!);
    }
    const ops = this.liquid.options.operators;
    const ctx = this.ctx;
    type Step =
      { operand: Expr; op?: undefined } | { operand?: undefined; op: unknown; unary: boolean };
    const steps = postfix.map((token): Step => {
      if (!TypeGuards.isOperatorToken(token)) return { operand: this.operand(token) };
      const op = ops[token.operator];
      if (!op) throw new Unsupported();
      return { op, unary: token.operator === 'not' };
    });
    return (rt, lenient) => {
      const stack: unknown[] = [];
      for (const step of steps) {
        if (step.operand) {
          stack.push(step.operand(rt, lenient));
        } else if (step.unary) {
          stack.push(toValueSync((step.op as UnaryOperator)(stack.pop(), ctx)));
        } else {
          const r = stack.pop();
          const l = stack.pop();
          stack.push(toValueSync((step.op as BinaryOperator)(l, r, ctx)));
        }
      }
      return stack[0];
    };
  }

  private operand(token: Token): Expr {
    if ('content' in token) {
      const content = (token as { content: unknown }).content;
      return () => content;
    }
    if (TypeGuards.isPropertyAccessToken(token) && token.variable === undefined) {
      return this.propertyAccess(token.props);
    }
    throw new Unsupported();
  }

  private propertyAccess(props: Token[]): Expr {
    const keys: Expr[] = props.map((prop) => {
      if ('content' in prop) {
        const key = (prop as { content: unknown }).content;
        return () => key;
      }
      if (TypeGuards.isPropertyAccessToken(prop)) {
        const inner = this.operand(prop);
        return (rt): unknown => toValue(inner(rt, false)) as unknown;
      }
      throw new Unsupported();
    });
    const root = keys[0];
    const staticRoot = props[0] && 'content' in props[0] ? props[0].content : undefined;
    if (!root || staticRoot === 'forloop') throw new Unsupported();
    const ctx = this.ctx;
    const strict = this.liquid.options.strictVariables;
    return (rt, lenient) => {
      const path: unknown[] = [];
      for (const key of keys) path.push(key(rt, false));
      const first = path[0] as string;
      let scope: unknown = undefined;
      for (let i = rt.scopes.length - 1; i >= 0; i--) {
        if (first in rt.scopes[i]!) {
          scope = rt.scopes[i];
          break;
        }
      }
      if (scope === undefined) scope = first in rt.env ? rt.env : ctx.globals;
      for (let i = 0; i < path.length; i++) {
        scope = ctx.readProperty(scope as Scope, path[i] as string);
        if (strict && scope === undefined) {
          if (lenient) return null;
          throw new UndefinedPlaceholderError(path.slice(0, i + 1).join('.'));
        }
      }
      return scope;
    };
  }

  private branches(
    branches: {
      value: Value;
      templates: Template[];
      test?: (v: unknown, ctx: Context) => boolean;
    }[],
    elseTemplates: Template[] | undefined,
  ): Node {
    const ctx = this.ctx;
    const lenientIf = this.liquid.options.lenientIf;
    const compiled = branches.map((b) => ({
      value: this.value(b.value.initial.postfix, b.value.filters),
      test: b.test ?? ((v: unknown, c: Context) => isTruthy(v, c)),
      body: this.sequence(b.templates),
    }));
    const otherwise = this.sequence(elseTemplates ?? []);
    return (rt) => {
      for (const branch of compiled) {
        if (branch.test(toValue(branch.value(rt, lenientIf)), ctx)) return branch.body(rt);
      }
      return otherwise(rt);
    };
  }

  private ifTag(tag: IfTag): Node {
    return this.branches(tag.branches, tag.elseTemplates);
  }

  private unlessTag(tag: UnlessTag): Node {
    return this.branches(tag.branches, tag.elseTemplates);
  }

  private forTag(tag: ForTag): Node {
    if (Object.keys(tag.hash.hash).length > 0) throw new Unsupported();
    if (!TypeGuards.isPropertyAccessToken(tag.collection)) throw new Unsupported();
    const collection = this.operand(tag.collection);
    const body = this.sequence(tag.templates);
    const otherwise = this.sequence(tag.elseTemplates);
    const variable = tag.variable;
    const ctx = this.ctx;
    return (rt) => {
      const items = toEnumerable(collection(rt, false));
      if (items.length === 0) return otherwise(rt);
      const scope = Object.create(null) as Scope;
      // LiquidJS puts a ForloopDrop here; we refuse templates that read it (see propertyAccess).
      scope['forloop'] = null;
      rt.scopes.push(scope);
      let out = '';
      try {
        for (const item of items) {
          // As LiquidJS does per node; loops over the recipient's data are where time and
          // output grow (nested loops over long lists).
          ctx.renderLimit.check(performance.now());
          scope[variable] = item;
          out += body(rt);
          if (out.length > RENDER_LIMITS.outputChars) throw new TemplateLimitError('output');
        }
      } finally {
        rt.scopes.pop();
      }
      return out;
    };
  }

  private assignTag(tag: AssignTag): Node {
    const { key, value } = tag as unknown as { key: string; value: Value };
    const evaluate = this.value(value.initial.postfix, value.filters);
    const lenientIf = this.liquid.options.lenientIf;
    return (rt) => {
      rt.scopes[0]![key] = evaluate(rt, lenientIf);
      return '';
    };
  }
}
