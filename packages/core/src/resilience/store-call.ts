/**
 * Calls a `StatusStore` method with a deadline. A store is never allowed to hold a check
 * up or to throw into it: a call that rejects, throws or takes longer than `timeoutMs`
 * is reported to `onError` and answers `undefined` (a miss).
 */
export async function callStore<T>(
  operation: string,
  call: () => Promise<T>,
  timeoutMs: number,
  onError: ((operation: string, error: unknown) => void) | undefined,
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(call),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`store ${operation} took longer than ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    onError?.(operation, error);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
