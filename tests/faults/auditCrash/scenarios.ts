// The scenarios: which job, and where each of its attempts is killed; and the lanes they run in.
// A joiner's writes: 1 the create, 2–3 the adds. A mover's: 1 PATCH, 2 add, 3 remove. A leaver's: 1 PATCH.
import { expect } from "vitest";
import type { ApiOperation, LoggedRequest } from "../../../dev/surecloud-emulator/requestLog.js";
import { answered, inFlight, intent, type Kill, read, recorded } from "./killPoints.js";

/** The one write of the slow-write probe: longer than a stalled job takes to be retried and recovered. */
export const SLOW_MS = 12_000;

export type JobKind = "joiner" | "mover" | "leaver";

export interface Scenario {
  title: string;
  /** joiner: create + 2 adds (sent together); mover: PATCH, add, remove; leaver: status PATCH. */
  job: JobKind;
  /** Start it on a worker that has read nothing yet (no cached group list): its first request is a read. */
  freshWorker?: boolean;
  /** One kill per attempt, in order; the attempt after the last kill runs to completion. */
  kills: Kill[];
  /** What the run must show beyond the audit comparison, given each attempt's logged requests. */
  check?: (attempts: LoggedRequest[][]) => void;
  /** A known recovery bug: the run is checked in one test, its audit comparison in an `it.fails`. */
  knownBug?: string;
  /** For a known bug: whether this run set up the conditions for it (skipped when not). */
  premise?: (requests: LoggedRequest[]) => boolean;
}

/** A scenario of one kill, named after its point. */
const killedOnce = (job: JobKind, kill: Kill): Scenario => ({ title: kill.label, job, kills: [kill] });

const operations = (requests: LoggedRequest[] = []): Array<ApiOperation | null> =>
  requests.map((request) => request.operation);

const joinerChain: Scenario = {
  title: "joiner: killed in a read, with its intent stored, then in its create",
  job: "joiner",
  freshWorker: true,
  kills: [
    read("joiner: catalogue read in flight, before the intent"),
    intent("joiner: intent stored, nothing written"),
    inFlight("joiner: create in flight (lost with the worker)", 1),
  ],
};
const joinerRetryChain: Scenario = {
  title: "joiner: create answered, then killed in the recovery, then in the retry's adds",
  job: "joiner",
  kills: [
    answered("joiner: create answered, adds not sent", 1),
    read("joiner retry: recovery read in flight (dead job's intent pending)"),
    // The retry records the create, then plans with look-ups (not its first run): the adds are left.
    inFlight("joiner retry: adds of the re-plan in flight, after the recovery", 2),
  ],
};
const joinerAdds: Scenario = {
  title: "joiner: adds in flight, then killed after the retry's recovery record",
  job: "joiner",
  kills: [
    inFlight("joiner: both adds in flight (applied after the kill)", 3),
    recorded("joiner retry: recovery record stored, nothing after it"),
  ],
};
// Once a bug: the retry planned its create without look-ups too, and a later recovery recorded the
// create twice. Now only a job's first run creates first (queueWorker: `attemptsStarted <= 1`).
const joinerRetried: Scenario = {
  title: "joiner: record stored, job not finished; the retry looks the user up and creates nothing",
  job: "joiner",
  kills: [recorded("joiner: record stored, job not finished")],
  check: ([first, retry]) => {
    const firstRun = operations(first);
    const created = firstRun.indexOf("createUser");
    expect(created, `first run: ${firstRun.join(", ")}`).toBeGreaterThanOrEqual(0);
    expect(firstRun.slice(0, created), "the first run creates without a look-up").not.toContain("findUsers");
    const retried = operations(retry);
    expect(retried, "the retry looks the user up").toContain("findUsers");
    expect(retried, "the retry sends no create").not.toContain("createUser");
    expect(
      retry?.filter((request) => request.write),
      "the retry has nothing to write",
    ).toEqual([]);
  },
};
const moverChain: Scenario = {
  title: "mover: killed in a read, with its intent stored, then in its PATCH",
  job: "mover",
  freshWorker: true,
  kills: [
    read("mover: plan read (user look-up) in flight, before the intent", 2),
    intent("mover: intent stored, nothing written"),
    inFlight("mover: PATCH in flight (lost with the worker)", 1),
  ],
};
const moverRetryChain: Scenario = {
  title: "mover: PATCH answered, then killed in the recovery, then in the retry's add",
  job: "mover",
  kills: [
    answered("mover: PATCH answered, add not sent", 1),
    read("mover retry: recovery read in flight (dead job's intent pending)"),
    inFlight("mover retry: add of the re-plan in flight", 1),
  ],
};
const moverSlowAdd: Scenario = {
  title: "mover: add in flight and served only after the retry recovered (slow-write probe)",
  job: "mover",
  kills: [
    inFlight(
      `mover: add in flight, served ${SLOW_MS / 1000} s later (after the retry's recovery)`,
      2,
      1,
      SLOW_MS,
    ),
  ],
  knownBug:
    "recovery reads SureCloud once the stalled job is taken again and counts what it sees; a write of " +
    "the dead worker still in flight then (SureCloud serving it later than the lock duration plus the " +
    "stalled interval) is in no entry: SureCloud acknowledged it, the trail never lists it",
  // The slow add was served last, after the retry had recovered, re-planned and finished.
  premise: (requests) => requests.at(-1)?.operation === "addMember" && requests.at(-1)?.status === 204,
};
const leaverChain: Scenario = {
  title: "leaver: killed in a read, with its intent stored, then in its PATCH",
  job: "leaver",
  freshWorker: true,
  kills: [
    read("leaver: plan read (user look-up) in flight, before the intent"),
    intent("leaver: intent stored, nothing written"),
    inFlight("leaver: status PATCH in flight (lost with the worker)", 1),
  ],
};
const leaverRetryChain: Scenario = {
  title: "leaver: PATCH answered, then killed in the recovery, then after the recovery record",
  job: "leaver",
  kills: [
    answered("leaver: status PATCH answered, record not made", 1),
    read("leaver retry: recovery read in flight (dead job's intent pending)"),
    recorded("leaver retry: recovery record stored, nothing after it"),
  ],
};

// Killed once, in the first attempt; the retry runs to completion.
const moverAdd = killedOnce("mover", inFlight("mover: add in flight (applied after the kill)", 2));
const moverAddAnswered = killedOnce("mover", answered("mover: add answered, remove not sent", 2));
const moverRemove = killedOnce("mover", inFlight("mover: remove in flight (applied after the kill)", 3));
const moverUnrecorded = killedOnce("mover", answered("mover: all 3 writes answered, record not made", 3));
const moverFinished = killedOnce("mover", recorded("mover: record stored, job not finished"));
const leaverFinished = killedOnce("leaver", recorded("leaver: record stored, job not finished"));
const joinerUnrecorded = killedOnce("joiner", answered("joiner: all 3 writes answered, record not made", 3));

/** Four lanes of about the same length; each scenario names its kill points. */
export const lanes: Array<{ name: string; scenarios: Scenario[] }> = [
  { name: "A", scenarios: [moverChain, joinerRetryChain, moverAdd] },
  { name: "B", scenarios: [joinerChain, moverRetryChain, moverRemove, leaverFinished] },
  { name: "C", scenarios: [leaverChain, leaverRetryChain, joinerAdds, moverUnrecorded] },
  { name: "D", scenarios: [joinerRetried, moverSlowAdd, moverAddAnswered, joinerUnrecorded, moverFinished] },
];
