// The audit trail across real crashes: a worker process (`node dist/worker/main.js`) is SIGKILLed at
// chosen points of a job — in a read before its intent, with its intent stored and nothing written,
// while a write is in flight, right after SureCloud answered a write, after its record — and started
// again. Once BullMQ has handed the stalled job to the new worker and it has completed, the writes
// the audit trail lists must be exactly the writes the SureCloud emulator acknowledged (its request
// log, 2xx only): the same multiset, no gap, no duplicate. (crashRecovery.test.ts is the unit version.)
//
// Each kill is triggered by what the emulator and Redis have seen, never by a sleep, and checked when
// it lands (the table printed at the end; at least 20 distinct points): auditCrash/lane.ts. Scenarios
// (auditCrash/scenarios.ts) run in lanes side by side (one emulator, queue, gate and worker each) to
// keep the file short; within a lane they run one after another, each with its own user. Several
// kills of one scenario hit successive attempts of the same job (the retry's recovery, its re-plan, …).
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL } from "../../dev/localStack.js";
import { Lane, WAIT_MS } from "./auditCrash/lane.js";
import { expectAudited, type Run, runScenario } from "./auditCrash/run.js";
import { lanes, SLOW_MS } from "./auditCrash/scenarios.js";

const redis = new Redis(REDIS_URL);
const openLanes: Lane[] = [];
const plannedLabels = new Set(
  lanes.flatMap((lane) => lane.scenarios.flatMap((s) => s.kills.map((k) => k.label))),
);

afterAll(async () => {
  await redis.quit();
});

describe("the audit trail when a worker is SIGKILLed mid-job", () => {
  // All lanes close together: the Action's queue cache is shared, and closing it under a lane
  // still sending would fail that lane's next event.
  afterAll(async () => {
    await Promise.all(openLanes.map((lane) => lane.close()));
  }, WAIT_MS);

  for (const { name, scenarios } of lanes) {
    // Lanes run side by side; the scenarios of a lane, one after another.
    describe(`lane ${name}`, { concurrent: true }, () => {
      let lane: Lane | undefined;
      beforeAll(async () => {
        lane = await Lane.open(name, redis);
        openLanes.push(lane);
        await lane.startWorker();
      }, WAIT_MS);

      for (const scenario of scenarios) {
        const timeout = 30_000 + scenario.kills.length * 30_000 + (scenario.premise ? SLOW_MS : 0);
        if (!scenario.knownBug) {
          it(scenario.title, { concurrent: false, timeout }, async () => {
            if (!lane) throw new Error("lane not open");
            const run = await runScenario(lane, scenario);
            scenario.check?.(run.attempts);
            await expectAudited(lane, run);
          });
          continue;
        }
        let run: Run | undefined;
        it(`${scenario.title} (runs to completion)`, { concurrent: false, timeout }, async () => {
          if (!lane) throw new Error("lane not open");
          run = await runScenario(lane, scenario);
          expect(run.result.state).toBe("completed");
        });
        // KNOWN BUG, reported, not fixed here (the worker is not this test's to change): see the
        // scenario's `knownBug`. Drop `.fails` once recovery handles this kill point.
        it.fails(`${scenario.title}: each write audited once`, { concurrent: false }, async (context) => {
          if (!lane || !run || !(scenario.premise?.(run.requests) ?? true)) return context.skip();
          await expectAudited(lane, run);
        });
      }
    });
  }

  it("kills landed on at least 20 distinct points", () => {
    const kills = openLanes.flatMap((lane) => lane.kills);
    const landed = new Set(kills.filter((kill) => kill.landed).map((kill) => kill.label));
    console.log(
      kills
        .map((kill) => `${kill.landed ? "✓" : "✗"} [${kill.lane}] ${kill.label} ${kill.detail}`)
        .join("\n"),
    );
    expect(plannedLabels.size).toBeGreaterThanOrEqual(20);
    expect(landed.size, `${landed.size} of ${plannedLabels.size} points landed`).toBeGreaterThanOrEqual(20);
  });
});
