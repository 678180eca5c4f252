// Plain CommonJS on purpose: this file runs both in-thread and as a worker_threads worker
// (started from compiled code and from the TypeScript sources under test alike), so it must
// load without a build step. The SQL comes from customer-bulk.repository.ts.
'use strict';

/**
 * Returns a function that writes one batch of validated customer rows in one IMMEDIATE
 * transaction and classifies each row as inserted, updated or an in-file duplicate.
 */
function createBatchWriter(db, sql, options) {
  const lookup = db.prepare(sql.lookup);
  const upsert = db.prepare(sql.upsert);
  const { importId, defaultLanguage } = options;
  const write = db.transaction((rows) => {
    const outcome = { inserted: 0, updated: 0, duplicates: [] };
    const now = new Date().toISOString();
    for (const r of rows) {
      const existing = lookup.get(r.externalId);
      if (existing === undefined) outcome.inserted++;
      else if (existing.import_id === importId) {
        outcome.duplicates.push({
          line: r.line,
          previousLine: existing.import_line ?? 0,
          externalId: r.externalId,
        });
      } else outcome.updated++;
      upsert.run({
        externalId: r.externalId,
        email: r.email,
        name: r.name,
        insertLanguage: r.language ?? defaultLanguage,
        street: r.street,
        postalCode: r.postalCode,
        city: r.city,
        country: r.country,
        attributes: r.attributes,
        now,
        importId,
        line: r.line,
        provided: r.provided,
      });
    }
    return outcome;
  });
  return (rows) => write.immediate(rows);
}

/** Opens the worker's own connection with the same settings as the main one. */
function openWorkerDatabase(driverPath, file) {
  const Database = require(driverPath);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('cache_size = -32768');
  return db;
}

const { isMainThread, parentPort, workerData } = require('node:worker_threads');
if (!isMainThread && workerData && workerData.candorSqliteBatchWriter) {
  const { driverPath, file, sql, options } = workerData;
  const db = openWorkerDatabase(driverPath, file);
  // A dry run writes inside one transaction that is rolled back at the end.
  if (options.dryRun) db.exec('BEGIN IMMEDIATE');
  const writeBatch = createBatchWriter(db, sql, options);
  parentPort.on('message', (message) => {
    if (message.type === 'batch') {
      try {
        parentPort.postMessage({ type: 'outcome', outcome: writeBatch(message.rows) });
      } catch (error) {
        parentPort.postMessage({ type: 'error', message: String(error && error.message) });
      }
    } else if (message.type === 'finish') {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
      parentPort.postMessage({ type: 'finished' });
    }
  });
}

module.exports = { createBatchWriter };
