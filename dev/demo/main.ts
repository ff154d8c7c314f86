// `npm run demo`: the main job on local defaults. Starts the SureCloud emulator and a worker process
// against the local Redis, sends a realistic run of Auth0 events through the built Action, prints
// SureCloud's users and memberships and each job's outcome, and exits 0 only on the expected end state.
import { Redis } from "ioredis";
import { formatTable } from "../../toolbox/cli/table.js";
import { syncStatePrefix } from "../../worker/redisKeys.js";
import { summariseOutcome } from "../../worker/sync/outcome.js";
import type { JobResult, LocalStack } from "../localStack.js";
import { REDIS_URL, startLocalStack } from "../localStack.js";
import {
  type DemoExpectation,
  type DemoStep,
  demoSteps,
  demoTenants,
  existingUsers,
  expectedEndState,
} from "./scenario.js";

async function main(): Promise<number> {
  await requireRedis();
  const stack = await startLocalStack({ queueName: `demo-${Date.now()}`, tenants: demoTenants });
  let stopping: Promise<void> | undefined;
  const cleanUp = () => {
    stopping ??= stopAndClean(stack);
    return stopping;
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the demo and removing its queue from Redis...`);
      cleanUp().finally(() => process.exit(130));
    });
  }
  try {
    for (const user of existingUsers) stack.emulator.store("acme").seedUser(user);
    const steps = demoSteps();
    const results: JobResult[] = [];
    console.log(
      `Sending ${steps.length} Auth0 events through the built Action to queue ${stack.queueName}...`,
    );
    for (const step of steps) {
      await quietly(() => stack.send(step.message));
      results.push(await stack.result(step.message.id));
    }

    console.log("\nJobs (one per Auth0 event, in delivery order)");
    console.log(
      formatTable(
        ["#", "event", "user", "step", "directive (userType or app roles)", "outcome"],
        steps.map((step, index) => [
          String(index + 1),
          step.message.type,
          step.message.data.object.email ?? "",
          step.label,
          directiveOf(step.message),
          describe(results[index]),
        ]),
      ),
    );

    const usersOf = (tenant: string) => stack.emulator.state(tenant).users;
    for (const tenant of demoTenants) {
      const source = tenant.roles ? "directive from app roles" : "directive from userType";
      console.log(`\nSureCloud users of tenant ${tenant.id} (${source}), after the run`);
      console.log(
        formatTable(
          ["userName", "status", "linked to Auth0 user", "groups"],
          usersOf(tenant.id).map((user) => [
            user.userName,
            user.status,
            user.externalId ?? "(not linked)",
            groupNames(user.groups).join(", ") || "(none)",
          ]),
        ),
      );
    }

    const problems = [
      ...steps.flatMap((step, index) => {
        const got = outcomeKey(results[index]);
        return got === step.expect
          ? []
          : [`step ${index + 1} (${step.label}): expected ${step.expect}, got ${got}`];
      }),
      ...expectedEndState.flatMap((expected) => checkUser(expected, usersOf(expected.tenant ?? "acme"))),
    ];
    if (problems.length > 0) {
      console.error(`\nDemo FAILED: the end state is not the expected one:\n- ${problems.join("\n- ")}`);
      return 1;
    }
    console.log("\nDemo OK: every job ended as expected and SureCloud holds the expected users and groups.");
    return 0;
  } finally {
    await cleanUp();
  }
}

/**
 * Stops the stack, which removes the queue and the worker's state from Redis, and says so; Ctrl-C
 * stops it the same way, so an interrupted demo leaves nothing behind either.
 */
async function stopAndClean(stack: LocalStack): Promise<void> {
  await stack.stop();
  const left = await keysOfQueue(stack.queueName);
  if (left > 0) console.error(`\n${left} key(s) of queue ${stack.queueName} are still in Redis.`);
  else console.log(`\nRemoved queue ${stack.queueName} and its sync state from Redis.`);
}

/** How many keys the demo's queue still has: BullMQ's and the worker's own. */
async function keysOfQueue(queueName: string): Promise<number> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    let count = 0;
    for (const prefix of [`bull:${queueName}:`, `${syncStatePrefix(queueName)}:`]) {
      for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) count += keys.length;
    }
    return count;
  } finally {
    redis.disconnect();
  }
}

/** The userType (group ids shortened: the outcome names the groups) or the app roles the event carries. */
function directiveOf(message: DemoStep["message"]): string {
  const object = message.data.object;
  const metadata = object.app_metadata as
    | { user_type?: string; roles?: Array<{ value: string }> }
    | undefined;
  const userType = metadata?.user_type;
  const roles = metadata?.roles ? `roles: ${metadata.roles.map((role) => role.value).join(" + ")}` : "(none)";
  const shown = userType === undefined ? roles : userType.replace(/([0-9a-f]{8})-[0-9a-f-]{27}/gi, "$1…");
  return object.blocked ? `${shown} (blocked)` : shown;
}

type StateUser = { email: string; status: string; groups: Array<{ name: string }> };

function checkUser(expected: DemoExpectation, users: StateUser[]): string[] {
  const user = users.find((candidate) => candidate.email.toLowerCase() === expected.email);
  if (!expected.status) return user ? [`${expected.email} should not exist in SureCloud`] : [];
  if (!user) return [`${expected.email} is missing from SureCloud`];
  const groups = groupNames(user.groups);
  const problems: string[] = [];
  if (user.status !== expected.status)
    problems.push(`${expected.email}: status ${user.status}, expected ${expected.status}`);
  if (groups.join("|") !== [...expected.groupNames].sort().join("|")) {
    problems.push(
      `${expected.email}: groups [${groups.join(", ")}], expected [${expected.groupNames.join(", ")}]`,
    );
  }
  return problems;
}

function groupNames(groups: Array<{ name: string }>): string[] {
  return groups.map((group) => group.name).sort();
}

function outcomeKey(result: JobResult | undefined): string {
  if (!result) return "missing";
  if (result.state === "failed") return `failed:${result.failedReason?.split(":")[0]}`;
  if (result.outcome?.outcome === "skipped") return `skipped:${result.outcome.reason}`;
  return result.outcome?.outcome ?? result.state;
}

function describe(result: JobResult | undefined): string {
  if (!result) return "missing";
  if (result.state === "failed") return `FAILED ${result.failedReason ?? ""}`;
  return result.outcome ? summariseOutcome(result.outcome) : result.state;
}

/** The Action logs each queued job for Auth0's execution log; the demo's tables say the same. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await work();
  } finally {
    console.log = log;
  }
}

async function requireRedis(): Promise<void> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `Redis does not answer at ${REDIS_URL} (${(error as Error).message}). Start one with: ` +
        `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`,
    );
  } finally {
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`Demo failed to run: ${(error as Error).message}`);
    process.exit(1);
  },
);
