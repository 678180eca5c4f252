import {
  CaseTag,
  IfTag,
  Output,
  TypeGuards,
  UnlessTag,
  toValueSync,
  type Template,
  type Token,
  type Value,
} from 'liquidjs';

/*
 * Which placeholder uses are optional: guarded by an `if` on themselves, tested in a condition,
 * or the input of `default`. See docs/notices.md, "Optional variables".
 */

/** Formats static segments as a path: `impact.domains[0]`. */
export function formatPath(segments: (string | number)[]): string {
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}

/** Offsets of lenient references and the source ranges guarded per path. */
export interface Guards {
  /** Offsets of references evaluated leniently: `if`/`unless`/`case` tests, `| default` inputs. */
  lenient: Set<number>;
  /** Source ranges in which the listed paths are known to be set. */
  ranges: { begin: number; end: number; paths: string[] }[];
}

/** Walks parsed templates and collects where which paths are guarded. */
export function collectGuards(templates: Template[]): Guards {
  const guards: Guards = { lenient: new Set(), ranges: [] };
  const addRange = (body: Template[], paths: string[]): void => {
    if (body.length === 0 || paths.length === 0) return;
    const begin = Math.min(...body.map((t) => t.token.begin));
    const end = Math.max(...body.map((t) => t.token.end));
    guards.ranges.push({ begin, end, paths });
  };
  const lenientOperands = (value: Value): void => {
    for (const token of value.initial.postfix) {
      if (TypeGuards.isPropertyAccessToken(token)) guards.lenient.add(token.begin);
    }
  };
  const walk = (list: Template[]): void => {
    for (const tpl of list) {
      if (tpl instanceof IfTag) {
        for (const branch of tpl.branches) {
          lenientOperands(branch.value);
          addRange(branch.templates, [...truthyGuards(branch.value.initial.postfix)]);
        }
      } else if (tpl instanceof UnlessTag) {
        tpl.branches.forEach((branch, i) => {
          lenientOperands(branch.value);
          const postfix = branch.value.initial.postfix;
          addRange(branch.templates, [...(i === 0 ? blankGuards(postfix) : truthyGuards(postfix))]);
        });
        const first = tpl.branches[0];
        if (first) addRange(tpl.elseTemplates, [...truthyGuards(first.value.initial.postfix)]);
      } else if (tpl instanceof CaseTag) {
        lenientOperands(tpl.value);
      } else if (tpl instanceof Output && tpl.value.filters[0]?.name === 'default') {
        lenientOperands(tpl.value);
      }
      const node: Template = tpl;
      if (node.children) walk(toValueSync(node.children(false, true)));
    }
  };
  walk(templates);
  return guards;
}

type Operand = { path?: string; literal?: unknown; empty?: boolean; guards: Set<string> };

/** Paths that are certainly set when the condition is truthy. */
function truthyGuards(postfix: Token[]): Set<string> {
  const stack: Operand[] = [];
  for (const token of postfix) {
    if (!TypeGuards.isOperatorToken(token)) {
      stack.push(operand(token));
      continue;
    }
    if (token.operator === 'not') {
      stack.pop();
      stack.push({ guards: new Set() });
      continue;
    }
    const r = stack.pop() ?? { guards: new Set<string>() };
    const l = stack.pop() ?? { guards: new Set<string>() };
    stack.push({ guards: combine(token.operator, l, r) });
  }
  return stack[0]?.guards ?? new Set();
}

function combine(operator: string, l: Operand, r: Operand): Set<string> {
  const path = l.path ?? r.path;
  const other = l.path ? r : l;
  switch (operator) {
    case 'and':
      return new Set([...l.guards, ...r.guards]);
    case 'or':
      return new Set([...l.guards].filter((g) => r.guards.has(g)));
    case '!=':
      return path && other.empty ? new Set([path]) : new Set();
    case '==':
      return path && 'literal' in other && !other.empty && other.literal !== false
        ? new Set([path])
        : new Set();
    case '>':
    case 'contains':
      return l.path ? new Set([l.path.replace(/\.size$/, '')]) : new Set();
    default:
      return new Set();
  }
}

/** `unless x == blank` (or `empty`/`nil`/`""`): the body runs only when x is set. */
function blankGuards(postfix: Token[]): Set<string> {
  const [a, b, op] = postfix;
  if (postfix.length !== 3 || !op || !TypeGuards.isOperatorToken(op) || op.operator !== '==') {
    return new Set();
  }
  const l = operand(a!);
  const r = operand(b!);
  const path = l.path ?? r.path;
  return path && (l.path ? r : l).empty ? new Set([path]) : new Set();
}

function operand(token: Token): Operand {
  if (TypeGuards.isPropertyAccessToken(token) && token.variable === undefined) {
    const segments: (string | number)[] = [];
    for (const prop of token.props) {
      if (!('content' in prop)) return { guards: new Set() };
      segments.push(prop.content as string | number);
    }
    const path = formatPath(segments);
    return { path, guards: new Set([path]) };
  }
  if (TypeGuards.isLiteralToken(token)) {
    const empty = ['blank', 'empty', 'nil', 'null'].includes(token.literal);
    return { literal: token.literal === 'false' ? false : token.literal, empty, guards: new Set() };
  }
  if (TypeGuards.isQuotedToken(token)) {
    return { literal: token.content, empty: token.content === '', guards: new Set() };
  }
  if (TypeGuards.isNumberToken(token)) return { literal: token.content, guards: new Set() };
  return { guards: new Set() };
}
