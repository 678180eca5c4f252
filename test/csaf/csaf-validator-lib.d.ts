// The validator ships JavaScript with JSDoc only; these are the parts the tests use.
declare module '@secvisogram/csaf-validator-lib/validate.js' {
  type Finding = { message: string; instancePath: string };
  type TestResult = {
    isValid?: boolean;
    errors?: Finding[];
    warnings?: Finding[];
    infos?: Finding[];
  };
  export type DocumentTest = (doc: unknown) => TestResult | Promise<TestResult>;
  export default function validate(
    tests: DocumentTest[],
    doc: unknown,
  ): Promise<{
    isValid: boolean;
    tests: {
      name: string;
      isValid: boolean;
      errors: Finding[];
      warnings: Finding[];
      infos: Finding[];
    }[];
  }>;
}
declare module '@secvisogram/csaf-validator-lib/schemaTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  export const csaf_2_0_strict: DocumentTest;
  export const csaf_2_0: DocumentTest;
}
declare module '@secvisogram/csaf-validator-lib/mandatoryTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  const tests: Record<string, DocumentTest>;
  export = tests;
}
declare module '@secvisogram/csaf-validator-lib/optionalTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  const tests: Record<string, DocumentTest>;
  export = tests;
}
declare module '@secvisogram/csaf-validator-lib/cwe.js' {
  export const weaknesses: { id: string; name: string }[];
}
