import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const DIR = path.resolve(import.meta.dirname, '../fixtures/conformance/csaf-2.0');

const read = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Record<string, unknown>;

/**
 * Ajv (draft 2020-12, formats on) with the official schemas. provider_json_schema.json
 * refers to the CSAF document schema (publisher), which refers to the draft-04 CVSS schemas:
 * those are registered under their ids without their draft-04 keywords, as the conformance
 * README says.
 */
function createAjv() {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  for (const file of fs.readdirSync(path.join(DIR, 'referenced_schema/first'))) {
    const schema = read(path.join('referenced_schema/first', file));
    const id = (schema.$id ?? schema.id) as string;
    delete schema.$schema;
    delete schema.id;
    delete schema.$id;
    ajv.addSchema(schema, id.split('?')[0]);
  }
  ajv.addSchema(read('csaf_json_schema.json'));
  return ajv;
}

const ajv = createAjv();
const provider = ajv.compile(read('provider_json_schema.json'));

/** Error messages of provider-metadata.json against the official schema ([] = valid). */
export function providerMetadataErrors(doc: unknown): string[] {
  return provider(doc) ? [] : (provider.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const rolie = ajv.compile(read('ROLIE_feed_json_schema.json'));

/** Error messages of a ROLIE feed against the schema the CSAF tools use ([] = valid). */
export function rolieFeedErrors(doc: unknown): string[] {
  return rolie(doc) ? [] : (rolie.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
