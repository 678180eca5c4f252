import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryId,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import type { Database } from '../../src/store/database.js';

/** One statement Kysely executed: its SQL text as the driver got it, and its parameters. */
export interface CapturedStatement {
  sql: string;
  parameters: readonly unknown[];
}

/** A store whose Kysely instance records what it executes (the SQL snapshot tests use it). */
export interface SqlCapture {
  /** The same store (same connections), with `db` recording its statements. */
  database: Database;
  /** The statements executed since the last take(), in order; clears the record. */
  take(): CapturedStatement[];
}

/**
 * Wraps an open store so that every statement run through its `db` (or a transaction opened on
 * that `db`) is recorded once it has executed successfully. The SQL is compiled by the store's
 * own compiler from the final query tree, so it is the text the driver received. Statements the
 * bulk paths send through the raw driver handles (`sqlite`, `pool`) are not seen, nor the
 * transaction's BEGIN/COMMIT, which the driver issues itself. The original `db` is unchanged.
 */
export function captureSql(database: Database): SqlCapture {
  const executor = database.db.getExecutor();
  const pending = new WeakMap<QueryId, RootOperationNode>();
  let statements: CapturedStatement[] = [];
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      // Called for subqueries as well; only nodes that reach transformResult were executed.
      pending.set(queryId, node);
      return node;
    },
    async transformResult({
      result,
      queryId,
    }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const node = pending.get(queryId);
      if (node) {
        const compiled = executor.compileQuery(node, queryId);
        statements.push({ sql: compiled.sql, parameters: compiled.parameters });
        pending.delete(queryId);
      }
      return result;
    },
  };
  return {
    database: { ...database, db: database.db.withPlugin(plugin) },
    take() {
      const taken = statements;
      statements = [];
      return taken;
    },
  };
}
