const PREFIX = 'phone-guard: ';

/**
 * One line for stderr: `phone-guard: <label><message>`, prefixed once. Messages of
 * phone-guard's own errors and logs already start with `phone-guard: `; that prefix is
 * not repeated.
 */
export function logLine(message: unknown, label = ''): string {
  const text = String(message);
  return `${PREFIX}${label}${text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text}\n`;
}
