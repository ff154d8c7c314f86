// Reads a SureCloud answer as it streams in and stops at a size limit, so an answer of any size costs
// the worker at most the limit in memory: a 300 MB answer, read whole, once took a worker past 1 GB.

const MiB = 1024 * 1024;

/**
 * The body as text (UTF-8, a leading BOM dropped, as `response.text()` does), or undefined when it is
 * longer than `limitBytes`: then reading stops there and the rest of the answer is never fetched.
 * An answer whose Content-Length is already over the limit is not read at all.
 */
export async function readBoundedText(response: Response, limitBytes: number): Promise<string | undefined> {
  const body = response.body;
  if (!body) return "";
  if (Number(response.headers.get("content-length")) > limitBytes) {
    await body.cancel();
    return undefined;
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limitBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks, bytes));
}

/** A byte count as people read limits: `8 MiB`, or plain bytes when not a whole MiB. */
export function formatBytes(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}
