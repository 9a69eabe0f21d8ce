import { isPhoneGuardError } from '@phone-guard/core';
import { runSandboxCommand } from '@phone-guard/sandbox';
import { CHECK_HELP, check } from './check.js';
import { jsonReport } from './check-report.js';
import { EXIT } from './exit-codes.js';
import { logLine } from './log-line.js';
import { UsageError } from './usage-error.js';

export { EXIT } from './exit-codes.js';

/** Where the command writes and what it reads; injectable for tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the user asks the long-running `sandbox` command to stop. */
  untilStopped?: () => Promise<void>;
}

const HELP = `phone-guard: is this phone number still in service?

Usage:
  phone-guard check <number> [options]   look a number up and show what phone-guard decides
  phone-guard sandbox [options]          run the local Telesign sandbox
  phone-guard help [command]             show help

Exit codes: 0 allowed, 1 blocked or flagged, 2 usage error or invalid number,
3 look-up failed.
`;

/** Help of the `sandbox` command: the sandbox package's own, under this name. */
async function sandboxHelp(): Promise<string> {
  let text = '';
  await runSandboxCommand(
    ['--help'],
    { stdout: (t) => (text += t), stderr: () => {} },
    'phone-guard sandbox',
  );
  return text;
}

/**
 * Runs the `phone-guard` command with `argv` (without `node` and the script) and resolves
 * with its exit code. Never throws. With `--json` anywhere in `argv`, failures are
 * reported as JSON on stdout too.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'sandbox':
        return await runSandboxCommand(
          rest,
          { stdout: io.stdout, stderr: io.stderr, untilStopped: io.untilStopped },
          'phone-guard sandbox',
        );
      case undefined:
      case 'help':
      case '-h':
      case '--help': {
        const topic = rest[0];
        io.stdout(
          topic === 'check' ? CHECK_HELP : topic === 'sandbox' ? await sandboxHelp() : HELP,
        );
        return command === undefined ? EXIT.usage : EXIT.allowed;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    const usage =
      err instanceof UsageError ||
      String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    const code = usage ? 'USAGE' : isPhoneGuardError(err) ? err.code : 'ERROR';
    const message = (err as Error).message;
    if (json) {
      io.stdout(jsonReport({ exitCode: EXIT.usage, error: { code, message } }));
    } else if (usage) {
      io.stderr(`${logLine(message)}Run "phone-guard help" for usage.\n`);
    } else {
      io.stderr(logLine(message, code === 'ERROR' ? '' : `${code}: `));
    }
    return EXIT.usage;
  }
}
