// At shutdown past the grace period, the jobs still running here go back to the queue for another worker.
import type { Job } from "bullmq";
import type { Logger } from "../../shared/logger.js";

/** Jobs being processed in this process, with the lock token that lets it move them. */
export type InFlight = Map<string, { job: Job; token: string | undefined }>;

export async function handBack(inFlight: InFlight, delayMs: number, logger: Logger): Promise<number> {
  let handedBack = 0;
  for (const [key, { job, token }] of [...inFlight]) {
    try {
      await job.moveToDelayed(Date.now() + delayMs, token);
      inFlight.delete(key);
      handedBack += 1;
      logger.warn({ jobId: job.id, eventId: eventIdOf(job), delayMs }, "job handed back at shutdown");
    } catch (error) {
      // Its lock lapses with this process, and another worker takes it as a stalled job.
      logger.warn({ jobId: job.id, err: error }, "job could not be handed back; it will stall");
    }
  }
  return handedBack;
}

export function eventIdOf(job: Job): string | undefined {
  const event = (job.data as { event?: { id?: unknown } })?.event;
  return typeof event?.id === "string" ? event.id : undefined;
}
