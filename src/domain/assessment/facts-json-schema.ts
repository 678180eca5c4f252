import { z } from 'zod';
import { assessmentFactsSchema } from './assessment-facts.js';

/** Where the published schema lives (the API serves it; docs/ holds a checked copy). */
export const FACTS_SCHEMA_PATH = '/api/v1/schemas/assessment-facts.json';

/**
 * The JSON Schema (draft 2020-12) of a facts document as a client writes it: fields with
 * defaults are optional. Generated from the one zod schema, so it cannot drift.
 */
export function factsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(assessmentFactsSchema, { io: 'input', target: 'draft-2020-12' });
  return {
    ...schema,
    $id: `https://candor.example${FACTS_SCHEMA_PATH}`,
    title: 'Candor assessment facts',
  };
}
