// Reads a request body up to a limit. A declared Content-Length over it is refused before any byte
// is read; a body that grows past it (chunked, or lying about its length) is refused at the chunk
// that crosses it, and the rest is never read, so an oversized body never sits in memory.
import type { IncomingMessage } from "node:http";

export type BodyRead = { kind: "read"; body: Buffer } | { kind: "too-large" };

export function readBoundedBody(request: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ kind: "too-large" });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      request.off("close", onClose);
      request.pause();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      stop();
      resolve({ kind: "too-large" });
    };
    const onEnd = () => {
      stop();
      resolve({ kind: "read", body: Buffer.concat(chunks, size) });
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => onError(new Error("the client closed the request before its body ended"));
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
    request.on("close", onClose);
  });
}
