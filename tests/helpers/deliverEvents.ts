// Sends Auth0 events through a running pipeline's Action, one second apart on a clock of its own,
// and waits for each job's result: the way the whole-pipeline tests drive a user's history.
import { jobIdFor } from "../../shared/job.js";
import { makeUserEvent, newEventId, type UserEventOptions } from "../fixtures/auth0Events.js";
import type { Pipeline } from "./pipeline.js";

export interface Delivered {
  eventId: string;
  jobId: string;
  result: Awaited<ReturnType<Pipeline["result"]>>;
}

export interface Deliverer {
  /** Sends one event, later than the last unless `at` (ms) is given, and waits for its job's result. */
  (options: UserEventOptions, at?: number): Promise<Delivered>;
  /** The clock of the last event sent without `at`, in ms. */
  now(): number;
}

/** Events stamped from `startIso` on; `pipeline` is read at each call, so it may be started later. */
export function makeDeliverer(pipeline: () => Pipeline, startIso: string): Deliverer {
  let clock = Date.parse(startIso);
  const deliver = async (options: UserEventOptions, at?: number): Promise<Delivered> => {
    clock += 1000;
    const time = new Date(at ?? clock).toISOString();
    const message = makeUserEvent({ id: newEventId(), time, updatedAt: time, ...options });
    await pipeline().send(message);
    return {
      eventId: message.id,
      jobId: jobIdFor("event", message.id),
      result: await pipeline().result(message.id),
    };
  };
  return Object.assign(deliver, { now: () => clock });
}
