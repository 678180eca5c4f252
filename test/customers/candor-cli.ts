/**
 * Runs the CLI from the TypeScript sources, for end-to-end tests in a child process:
 * `node --import tsx test/customers/candor-cli.ts customers import FILE`. The real binary,
 * bin/candor.js, runs the same `main` from the build in dist/.
 */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
