/**
 * Compiles an affected-set filter AST (src/domain/filter) into a Kysely condition on
 * `customers`, and runs it. Every value and every attribute key travels as a bound parameter;
 * the only SQL text that varies is chosen from closed sets (operators, built-in column names).
 *
 * Semantics, the same on both engines (docs/filter.md):
 * - a condition is true or false for every customer, never "unknown": `not x` is exactly the
 *   customers for whom `x` is false, so `!=` and `not in` include customers without the field;
 * - string literals compare with string values; numbers with numbers and with strings written
 *   as JSON numbers; true/false with booleans and the text "true"/"false" in any case;
 * - list values (JSON arrays) answer only `has`, `exists` and `not exists`.
 */
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type RawBuilder,
  type SqlBool,
} from 'kysely';
import type {
  FieldReference,
  FilterExpression,
  FilterLiteral,
  TextOperator,
} from '../domain/filter/filter-ast.js';
import type { Dialect } from './database.js';
import type { Executor } from './executor.js';
import type { CustomerRow, DB } from './schema.js';

type Sql = RawBuilder<unknown>;
type Condition = RawBuilder<SqlBool>;

/** One field's value in the forms the operators need, for one engine. */
interface FieldSql {
  /** The value if it is a string, else NULL. */
  text: Sql;
  /** A cheaper lookup, equal to a literal exactly when `text` is, for literals isPlainText accepts. */
  plainText: Sql;
  /** The value as a number (a number, or a string written as a JSON number), else NULL. */
  number: Sql;
  /** Lower-cased text of a boolean or a string, to compare with 'true'/'false'. */
  boolText: Sql;
  exists: Condition;
  has(element: string): Condition;
}

/** A JSON number (RFC 8259), with blanks around it; exponents capped so ::numeric cannot overflow. */
const NUMBER_PATTERN =
  '^[ \\t\\n\\r]*-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]{1,4})?[ \\t\\n\\r]*$';

/**
 * Whether `field = literal` may use FieldSql.plainText: the raw lookup returns the JSON text
 * of arrays and objects (SQLite, PostgreSQL) and the text of numbers and booleans
 * (PostgreSQL), which a literal that looks like none of those can never equal.
 */
function isPlainText(value: string): boolean {
  return !/^[[{]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) && !/^(true|false)$/.test(value);
}

/**
 * The text branch of `has`: whether `element` is one of the `;`/`,`-separated items of the
 * text, each trimmed of spaces and tabs. Three steps, cheapest first: the substring test lets
 * most rows out (a split per row cost 3 s per million rows on PostgreSQL); an exact match of
 * `;element;` in the text with `,` read as `;` settles every text without blanks; only texts
 * with blanks are split and trimmed.
 */
function splitHas(dialect: Dialect, text: Sql, element: string): Condition {
  // A trimmed item never has blanks at its ends, a separator or nothing in it.
  if (element === '' || /^[ \t]|[ \t]$|[;,]/.test(element)) return sql<SqlBool>`false`;
  const delimited = `;${element};`;
  if (dialect === 'sqlite') {
    // json_quote escapes never contain ; or , so splitting the quoted text stays valid JSON.
    return sql<SqlBool>`(instr(${text}, ${element}) > 0 and (instr(';' || replace(${text}, ',', ';') || ';', ${delimited}) > 0 or ((instr(${text}, ' ') > 0 or instr(${text}, char(9)) > 0) and exists (select 1 from json_each('[' || replace(replace(json_quote(${text}), ',', ';'), ';', '","') || ']') as item where trim(item.value, ' ' || char(9)) = ${element}))))`;
  }
  return sql<SqlBool>`(strpos(${text}, ${element}) > 0 and (strpos(';' || translate(${text}, ',', ';') || ';', ${delimited}) > 0 or (${text} ~ '[ \t]' and strpos(';' || regexp_replace(btrim(translate(${text}, ',', ';'), ' ' || chr(9)), '[ \t]*;[ \t]*', ';', 'g') || ';', ${delimited}) > 0)))`;
}

/** A string of `has` written as a JSON number also matches number items: `has 443`, `has "443"`. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d{1,4})?$/;

/** SQLite: whether the json_each row `item` is the `has` element (text, number or boolean). */
function sqliteItemIs(element: string): Condition {
  const parts = [sql`(item.type = 'text' and item.value = ${element})`];
  if (JSON_NUMBER.test(element)) {
    parts.push(sql`(item.type in ('integer', 'real') and item.value = ${Number(element)})`);
  }
  if (element === 'true' || element === 'false') parts.push(sql`item.type = ${element}`);
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/**
 * PostgreSQL: whether the jsonb array holds the `has` element. Containment, not a subquery
 * over the items: a correlated subquery would rule out a parallel scan.
 */
function postgresArrayHas(json: Sql, element: string): Condition {
  const parts = [sql`${json} @> jsonb_build_array(${element}::text)`];
  if (JSON_NUMBER.test(element)) parts.push(sql`${json} @> jsonb_build_array(${element}::numeric)`);
  if (element === 'true' || element === 'false') {
    parts.push(sql`${json} @> jsonb_build_array(${element}::boolean)`);
  }
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** The numeric value of text written as a JSON number, else NULL. */
function numberOfText(dialect: Dialect, text: Sql): Sql {
  return dialect === 'sqlite'
    ? sql`(case when json_valid(${text}) and json_type(${text}) in ('integer', 'real') then json_extract(${text}, '$') end)`
    : sql`(case when ${text} ~ ${NUMBER_PATTERN} then (${text})::numeric end)`;
}

function builtinSql(dialect: Dialect, name: string): FieldSql {
  const column = sql.ref(`customers.${name}`);
  const trim =
    dialect === 'sqlite'
      ? sql`trim(${column}, ' ' || char(9))`
      : sql`btrim(${column}, ' ' || chr(9))`;
  return {
    text: column,
    plainText: column,
    number: numberOfText(dialect, column),
    boolText: sql`lower(${column})`,
    exists: sql<SqlBool>`(${column} is not null and ${trim} <> '')`,
    has: (element) => splitHas(dialect, column, element),
  };
}

/** SQLite: the key goes into a JSON path `$."key"`, quoted so that `.`, `[` or `$` in it are plain. */
function sqliteAttributeSql(key: string): FieldSql {
  const path = `$."${key.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  // SQLite caches the parsed JSON of a row, so several lookups cost one parse.
  const value = sql`json_extract(customers.attributes, ${path})`;
  const type = sql`json_type(customers.attributes, ${path})`;
  return {
    text: sql`(case when ${type} = 'text' then ${value} end)`,
    plainText: value,
    number: sql`(case ${type} when 'integer' then ${value} when 'real' then ${value} when 'text' then ${numberOfText('sqlite', value)} end)`,
    boolText: sql`(case ${type} when 'true' then 'true' when 'false' then 'false' when 'text' then lower(${value}) end)`,
    exists: sql<SqlBool>`(case ${type} when 'text' then trim(${value}, ' ' || char(9)) <> '' when 'array' then json_array_length(customers.attributes, ${path}) > 0 when 'object' then ${value} <> '{}' when 'null' then 0 else ${type} is not null end)`,
    has: (element) =>
      sql<SqlBool>`(case ${type} when 'array' then exists (select 1 from json_each(customers.attributes, ${path}) as item where ${sqliteItemIs(element)}) when 'text' then ${splitHas('sqlite', value, element)} else 0 end)`,
  };
}

/** PostgreSQL: `->` / `->>` with the key as a text parameter. */
function postgresAttributeSql(key: string): FieldSql {
  const json = sql`(customers.attributes -> ${key}::text)`;
  const value = sql`(customers.attributes ->> ${key}::text)`;
  return {
    text: sql`(case when jsonb_typeof(${json}) = 'string' then ${value} end)`,
    plainText: value,
    number: numberOfText('postgres', value),
    boolText: sql`lower(${value})`,
    exists: sql<SqlBool>`(case jsonb_typeof(${json}) when 'string' then btrim(${value}, ' ' || chr(9)) <> '' when 'array' then jsonb_array_length(${json}) > 0 when 'object' then ${json} <> '{}'::jsonb when 'null' then false else ${json} is not null end)`,
    has: (element) =>
      sql<SqlBool>`(case jsonb_typeof(${json}) when 'array' then ${postgresArrayHas(json, element)} when 'string' then ${splitHas('postgres', value, element)} else false end)`,
  };
}

function fieldSql(dialect: Dialect, field: FieldReference): FieldSql {
  if (field.kind === 'field') return builtinSql(dialect, field.name);
  return dialect === 'sqlite' ? sqliteAttributeSql(field.key) : postgresAttributeSql(field.key);
}

/** The LIKE pattern for a text operator, with the literal's own % _ \ escaped. */
function likePattern(operator: TextOperator, value: string): string {
  const escape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
  switch (operator) {
    case 'contains':
      return `%${escape(value)}%`;
    case 'starts with':
      return `${escape(value)}%`;
    case 'ends with':
      return `%${escape(value)}`;
    case 'matches':
      return escape(value).replace(/[*?]/g, (c) => (c === '*' ? '%' : '_'));
  }
}

class FilterCompiler {
  constructor(
    private readonly eb: ExpressionBuilder<DB, 'customers'>,
    private readonly dialect: Dialect,
  ) {}

  compile(node: FilterExpression): Expression<SqlBool> {
    switch (node.kind) {
      case 'and':
        return this.eb.and(node.operands.map((o) => this.compile(o)));
      case 'or':
        return this.eb.or(node.operands.map((o) => this.compile(o)));
      case 'not':
        return this.not(this.compile(node.operand));
      case 'compare': {
        const field = fieldSql(this.dialect, node.field);
        if (node.operator === '=') return this.equals(field, [node.value]);
        if (node.operator === '!=') return this.not(this.equals(field, [node.value]));
        const operator = sql.raw(node.operator);
        const { value } = node;
        if (value.type === 'number')
          return sql<SqlBool>`(${field.number} ${operator} ${this.number(value.value)})`;
        // Byte order on both engines: PostgreSQL's default collation would sort "a" < "B".
        return this.dialect === 'sqlite'
          ? sql<SqlBool>`(${field.text} ${operator} ${value.value})`
          : sql<SqlBool>`(${field.text} ${operator} (${value.value}::text collate "C"))`;
      }
      case 'in': {
        const matches = this.equals(fieldSql(this.dialect, node.field), node.values);
        return node.negated ? this.not(matches) : matches;
      }
      case 'text': {
        const { text } = fieldSql(this.dialect, node.field);
        const pattern = likePattern(node.operator, node.value);
        // SQLite's LIKE ignores case (ASCII letters); ILIKE does so for all letters.
        const like =
          this.dialect === 'sqlite'
            ? sql<SqlBool>`(${text} like ${pattern} escape '\\')`
            : sql<SqlBool>`(${text} ilike ${pattern} escape '\\')`;
        return node.negated ? this.not(like) : like;
      }
      case 'has': {
        const has = fieldSql(this.dialect, node.field).has(String(node.value.value));
        return node.negated ? this.not(has) : has;
      }
      case 'exists': {
        const { exists } = fieldSql(this.dialect, node.field);
        return node.negated ? this.not(exists) : exists;
      }
    }
  }

  /** Whether the field equals any of the literals, each compared by its own type. */
  private equals(field: FieldSql, literals: readonly FilterLiteral[]): Expression<SqlBool> {
    const strings = literals.flatMap((l) => (l.type === 'string' ? [l.value] : []));
    const numbers = literals.flatMap((l) => (l.type === 'number' ? [l.value] : []));
    const booleans = literals.flatMap((l) => (l.type === 'boolean' ? [String(l.value)] : []));
    const parts: Condition[] = [];
    if (strings.length > 0) {
      const lookup = strings.every(isPlainText) ? field.plainText : field.text;
      parts.push(this.oneOf(lookup, strings));
    }
    if (numbers.length > 0) {
      parts.push(
        this.oneOf(
          field.number,
          numbers.map((n) => this.number(n)),
        ),
      );
    }
    if (booleans.length > 0) parts.push(this.oneOf(field.boolText, booleans));
    return parts.length === 1 ? parts[0]! : this.eb.or(parts);
  }

  private oneOf(lookup: Sql, values: readonly unknown[]): Condition {
    if (values.length === 1) return sql<SqlBool>`(${lookup} = ${values[0]})`;
    return sql<SqlBool>`(${lookup} in (${sql.join(values)}))`;
  }

  private number(value: number): unknown {
    return this.dialect === 'sqlite' ? value : sql`${value}::numeric`;
  }

  /** Two-valued negation: a condition that is NULL for a row (no such value) counts as false. */
  private not(condition: Expression<SqlBool>): Expression<SqlBool> {
    return sql<SqlBool>`not coalesce(${condition}, false)`;
  }
}

/** The filter as a condition for `.where(...)` on a query over `customers`. */
export function customerFilterExpression(
  eb: ExpressionBuilder<DB, 'customers'>,
  ast: FilterExpression,
  dialect: Dialect,
): Expression<SqlBool> {
  return new FilterCompiler(eb, dialect).compile(ast);
}

/** How many customers the filter selects. */
export async function countCustomersMatching(
  db: Executor,
  dialect: Dialect,
  ast: FilterExpression,
): Promise<number> {
  const { n } = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => customerFilterExpression(eb, ast, dialect))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** The first `limit` customers the filter selects, in id order, to check a filter by eye. */
export async function sampleCustomersMatching(
  db: Executor,
  dialect: Dialect,
  ast: FilterExpression,
  limit: number,
): Promise<CustomerRow[]> {
  return db
    .selectFrom('customers')
    .selectAll()
    .where((eb) => customerFilterExpression(eb, ast, dialect))
    .orderBy('id')
    .limit(limit)
    .execute();
}
