// Small node:http helpers shared by the API and admin routes: read a JSON body, answer JSON,
// answer the contract's error shape.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { formatIssues } from "../../shared/configIssues.js";
import { HttpError } from "./httpError.js";

/** Bodies above this are refused: the contract's bodies are a few hundred bytes. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface BodyOptions {
  /** The API insists on `Content-Type: application/json`, as the real service would. */
  requireJsonContentType: boolean;
}

/** Reads the body as JSON. Throws HttpError 400/413/415; an empty body parses as undefined. */
export async function readJsonBody(req: IncomingMessage, options: BodyOptions): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "payload_too_large", "request body is too large");
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  if (options.requireJsonContentType && !/^application\/json\s*(;|$)/.test(contentType)) {
    throw new HttpError(415, "unsupported_media_type", "Content-Type must be application/json");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's message says where the JSON broke; that is all a client needs.
    throw new HttpError(400, "bad_request", "request body is not valid JSON");
  }
}

/** Validates a parsed body; the 400 message names each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined) throw new HttpError(400, "bad_request", "request body is required");
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new HttpError(
      400,
      "bad_request",
      `invalid request body: ${formatIssues(parsed.error, { root: "(body)" })}`,
    );
  }
  return parsed.data;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

/** Decodes one path segment; a malformed escape is the client's fault. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "bad_request", `malformed path segment "${segment}"`);
  }
}

/** 405 with the `Allow` header listing what the path does accept. */
export function methodNotAllowed(method: string, allowed: readonly string[]): HttpError {
  return new HttpError(405, "method_not_allowed", `${method} is not allowed here`, {
    allow: allowed.join(", "),
  });
}
