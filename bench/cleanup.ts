// Leaves Redis as the benchmark found it: the queues and keys each part created are removed when
// the part ends, and also when the run is interrupted with Ctrl-C halfway through.
import { Queue } from "bullmq";
import { type LocalStack, type LocalStackOptions, REDIS_URL, startLocalStack } from "../dev/localStack.js";

type Cleanup = () => Promise<void>;
const pending = new Set<Cleanup>();

/** Runs `work`, then `cleanup` — also if the run is interrupted while `work` runs. */
export async function withCleanup<T>(cleanup: Cleanup, work: () => Promise<T>): Promise<T> {
  pending.add(cleanup);
  try {
    return await work();
  } finally {
    pending.delete(cleanup);
    await cleanup();
  }
}

/** On SIGINT/SIGTERM, cleans up what is still open, then exits 130. */
export function cleanUpOnInterrupt(): void {
  const onSignal = (signal: string) => {
    process.stderr.write(`\n${signal}: cleaning up the benchmark's queues and keys...\n`);
    void Promise.allSettled([...pending].map((cleanup) => cleanup())).then(() => process.exit(130));
  };
  process.once("SIGINT", () => onSignal("SIGINT"));
  process.once("SIGTERM", () => onSignal("SIGTERM"));
}

/**
 * Runs `work` on a local stack (emulator, workers) and a producer queue for it, with the emulator's
 * latency set; the stack, its queue and the worker's keys beside it are removed afterwards.
 */
export async function withBenchStack<T>(
  stackOptions: LocalStackOptions,
  latencyMs: number,
  work: (stack: LocalStack, queue: Queue) => Promise<T>,
): Promise<T> {
  const stack = await startLocalStack(stackOptions);
  const queue = new Queue(stack.queueName, { connection: { url: REDIS_URL } });
  const cleanup = async () => {
    await queue.close();
    // Also deletes the worker's version, lock and intent keys beside the queue.
    await stack.stop();
  };
  return withCleanup(cleanup, async () => {
    stack.emulator.setFaults({ latencyMs });
    return work(stack, queue);
  });
}
