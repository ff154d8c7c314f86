// Why a job failed for good, read back from BullMQ's `failedReason`: the worker writes a permanent
// failure as `<reason>: <message>`; anything else is a transient error (network, timeout, 429, 5xx)
// whose retries ran out. The worker (superseded jobs) and the toolbox (`failed`, `status`) both read it.
import { type PermanentReason, permanentReasons } from "../../shared/errors.js";

export const failureReasons = [...permanentReasons, "transient"] as const;
export type FailureReason = (typeof failureReasons)[number];

const reasonPrefix = /^([a-z][a-z-]*): /;

export function classifyFailure(failedReason: string | undefined): {
  reason: FailureReason;
  message: string;
} {
  const text = failedReason ?? "";
  const candidate = reasonPrefix.exec(text)?.[1];
  if (candidate && (permanentReasons as readonly string[]).includes(candidate)) {
    return { reason: candidate as PermanentReason, message: text.slice(candidate.length + 2) };
  }
  return { reason: "transient", message: text };
}

export function isFailureReason(value: string): value is FailureReason {
  return (failureReasons as readonly string[]).includes(value);
}
