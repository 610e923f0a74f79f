#!/usr/bin/env node
/**
 * The `connect-sync` command of the installed package (package.json `bin`, compiled to dist/node/cli):
 *   connect-sync serve [--port N] [--crm-port N] [--approved-origins …] [--control-api …]
 *   connect-sync chaos --page <url> [--tabs N] [--seconds S] …   (the chaos run, against your own pages)
 */
import { parseServeOptions, serveUntilStopped, SERVE_USAGE, UsageError } from './serve';

const USAGE = `usage: connect-sync <command> [options]
  serve   the CTI simulator, CCP, inspector and bundles, and the demo CRM (connect-sync serve --help)
  chaos   tabs of a page under random faults, checked against the simulator (connect-sync chaos --help)

${SERVE_USAGE}`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await serveUntilStopped(parseServeOptions(rest));
      return;
    case 'chaos':
      // The chaos command reads its options from process.argv (after the script): drop the word `chaos`.
      process.argv.splice(2, 1);
      await import('../e2e/chaos/run');
      return;
    case undefined: case '--help': case '-h': case 'help':
      throw new UsageError(USAGE);
    default:
      throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof UsageError ? `connect-sync: ${e.message}` : e);
  process.exit(2);
});
