// What the live-reload tests share: editing the local stack's tenants file as an operator would
// (a save that renames a new file over the old one, or an edit in place), waiting for the worker
// to log something, and reading its HTTP surface.
import { readFile, rename, writeFile } from "node:fs/promises";
import type { Pipeline } from "../helpers/pipeline.js";

type TenantsJson = { tenants: Array<Record<string, unknown> & { id: string; groups: unknown[] }> };

/** Changes the tenants file the way editors save: a new file renamed over the old one. */
export async function saveTenants(path: string, change: (file: TenantsJson) => void): Promise<void> {
  const file = JSON.parse(await readFile(path, "utf8")) as TenantsJson;
  change(file);
  await writeFile(`${path}.new`, JSON.stringify(file, null, 2));
  await rename(`${path}.new`, path);
}

/** Resolves with the first log line (from `after` on) that `match` accepts. */
export async function waitForLog(
  stack: Pipeline,
  match: (line: Record<string, unknown>) => boolean,
  after = 0,
  timeoutMs = 20_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = stack.logs.slice(after).find(match);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no such log line in ${timeoutMs} ms; worker output:\n${stack.output().slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const message = (text: string) => (line: Record<string, unknown>) =>
  typeof line.msg === "string" && line.msg.startsWith(text);

/** /readyz's answer, as far as these tests read it. */
export interface ReadyAnswer {
  status: number;
  body: {
    ready: boolean;
    tenants: { fingerprint: string; detail: string; rejected?: { reason: string } };
  };
}

export async function getReady(port: number): Promise<ReadyAnswer> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: response.status, body: (await response.json()) as ReadyAnswer["body"] };
}

export async function getText(port: number, path: string): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}${path}`)).text();
}
