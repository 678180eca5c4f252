import validate from '@secvisogram/csaf-validator-lib/validate.js';
import { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js';
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import * as optional from '@secvisogram/csaf-validator-lib/optionalTests.js';

/** Every finding of the strict schema, all mandatory and all optional CSAF 2.0 tests. */
export async function validateCsaf(doc: unknown): Promise<{
  errors: string[];
  warnings: string[];
}> {
  const tests = [csaf_2_0_strict, ...Object.values(mandatory), ...Object.values(optional)].filter(
    (t) => typeof t === 'function',
  );
  const result = await validate(tests, doc);
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const test of result.tests) {
    for (const e of test.errors) errors.push(`${test.name} ${e.instancePath}: ${e.message}`);
    for (const w of test.warnings) warnings.push(`${test.name} ${w.instancePath}: ${w.message}`);
  }
  return { errors, warnings };
}
