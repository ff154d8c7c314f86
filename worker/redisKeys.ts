// Where the worker keeps its own state in Redis, beside BullMQ's queue keys: one prefix per queue,
// so two deployments sharing a Redis never read each other's versions, locks or audit trail.

export function syncStatePrefix(queueName: string): string {
  return `group-sync:${queueName}`;
}
