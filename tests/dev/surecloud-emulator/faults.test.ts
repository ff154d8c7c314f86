// Injected faults over real HTTP: 500 shares, 429 bursts with Retry-After, latency, switched at run time.
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../../dev/surecloud-emulator/server.js";
import { emulatorForFile, G1 } from "./setup.js";

const emulator = await emulatorForFile([{ id: "acme", token: "t", groups: [{ id: G1, name: "One" }] }]);

const get = (path = "/groups") =>
  fetch(`${emulator.baseUrlFor("acme")}${path}`, { headers: { authorization: "Bearer t" } });

async function statuses(count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const res = await get();
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
}

describe("faults", () => {
  it("answers every k-th request 500 with the error shape, deterministically", async () => {
    emulator.setFaults({ errorEvery: 3 });
    expect(await statuses(6)).toEqual([200, 200, 500, 200, 200, 500]);
    emulator.setFaults({ errorEvery: 1 });
    const res = await get();
    expect(await res.json()).toEqual({ error: { code: "internal_error", message: expect.any(String) } });
  });

  it("answers about the given share 500, the same requests for the same seed", async () => {
    emulator.setFaults({ errorRate: 0.3, seed: 42 });
    const first = await statuses(100);
    emulator.setFaults({ errorRate: 0.3, seed: 42 });
    expect(await statuses(100)).toEqual(first);
    const failures = first.filter((status) => status === 500).length;
    expect(failures).toBeGreaterThan(15);
    expect(failures).toBeLessThan(45);
    emulator.setFaults({});
    expect(await statuses(20)).toEqual(Array(20).fill(200));
  });

  it("answers the next N requests 429 with Retry-After, then serves again", async () => {
    emulator.setFaults({ throttle: { count: 2, retryAfterSeconds: 7 } });
    for (let i = 0; i < 2; i += 1) {
      const res = await get();
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("7");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    }
    expect((await get()).status).toBe(200);
    expect(emulator.faults().throttle).toBeNull();
  });

  it("adds the configured latency to each request, and none once switched off", async () => {
    emulator.setFaults({ latencyMs: 120 });
    const started = performance.now();
    expect((await get()).status).toBe(200);
    // A lower bound: a busy machine can only add to it.
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    // Switched off from a latency far beyond any machine's slowness, so "none" cannot be confused
    // with "a little": were it still applied, the emulator would time this request at 20 s.
    emulator.setFaults({ latencyMs: 20_000 });
    emulator.setFaults({});
    expect((await get()).status).toBe(200);
    expect(emulator.requests().at(-1)?.durationMs).toBeLessThan(10_000);
  });

  it("changes no state when a write is answered with a fault", async () => {
    const user = emulator.store("acme").seedUser({ userName: "a", email: "a@x.io" });
    emulator.setFaults({ errorEvery: 1 });
    const res = await fetch(`${emulator.baseUrlFor("acme")}/groups/${G1}/members/${user.id}`, {
      method: "PUT",
      headers: { authorization: "Bearer t" },
    });
    expect(res.status).toBe(500);
    expect(emulator.state("acme").users[0]?.groups).toEqual([]);
    expect(emulator.requests({ write: true })).toMatchObject([
      { operation: "addMember", status: 500, fault: "error" },
    ]);
  });

  it("rejects a misspelt fault setting instead of silently injecting nothing", () => {
    expect(() => emulator.setFaults({ errorRatio: 0.5 } as never)).toThrow();
    expect(() => emulator.setFaults({ errorRate: 2 })).toThrow();
  });

  it("does not hang close() on a request waiting out injected latency", async () => {
    const other = await startEmulator({ host: "127.0.0.1", tenants: [{ id: "x", token: "t" }] });
    other.setFaults({ latencyMs: 30_000 });
    const pending = fetch(`${other.baseUrlFor("x")}/groups`, {
      headers: { authorization: "Bearer t" },
    }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await other.close();
    // A hang would last the 30 s latency; a third of it leaves any busy machine room to close.
    expect(performance.now() - started).toBeLessThan(10_000);
    await pending;
  });
});
