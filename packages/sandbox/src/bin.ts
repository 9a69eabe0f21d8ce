/** `phone-guard-sandbox`: runs the sandbox from a shell until SIGINT / SIGTERM. */
import { runSandboxCommand } from './launcher.js';

void runSandboxCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
