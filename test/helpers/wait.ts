/** Polls a condition until it holds, or fails with what it was waiting for. */
export async function waitFor(
  fn: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  everyMs = 100,
): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}
