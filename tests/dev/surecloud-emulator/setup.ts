// What the emulator's HTTP tests share: the group ids they seed, and one emulator per test file on
// loopback, closed after the file and reset before each test so no test sees another's writes.
import { afterAll, beforeEach } from "vitest";
import type { TenantOption } from "../../../dev/surecloud-emulator/core.js";
import { type Emulator, startEmulator } from "../../../dev/surecloud-emulator/server.js";

export const G1 = "8c27f1e1-4d7e-4c85-9d28-3a9e9c9f7e41";
export const G2 = "3f6d2a9b-1c4e-4f0a-8b7d-5e2c9a1d4b60";

/** Call at the top of a test file: the hooks it registers belong to that file. */
export async function emulatorForFile(tenants: TenantOption[]): Promise<Emulator> {
  const emulator = await startEmulator({ host: "127.0.0.1", tenants });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.reset());
  return emulator;
}
