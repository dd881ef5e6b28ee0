/**
 * Polls an asynchronous probe (an HTTP request, say) until it gives a value. The synchronous `waitFor` of
 * tests/broker/helpers.ts would take the probe's pending promise itself for the value.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
