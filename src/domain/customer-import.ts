import { z } from 'zod';

/**
 * How a customer import run stands: the import history (`customer_imports`) and the
 * workspace's background jobs (`customer_import_jobs`) record it alike. A run that died
 * mid-way stays `running` in the table; readers tell it by its missing heartbeat.
 */
export const importStateSchema = z.enum(['running', 'completed', 'failed']);
export type ImportState = z.infer<typeof importStateSchema>;
