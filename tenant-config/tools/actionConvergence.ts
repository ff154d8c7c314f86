// After deploy-cli's apply: every staged Action deployed as staged, whatever an interrupted run left.
// deploy-cli deploys only the Actions its own run created or updated, so one whose deploy call failed
// is never deployed by a later run (see deployedState.ts); this deploys it, reads it back, and fails
// naming the Action when Auth0 still does not run what was staged.
import type { ManagementClient } from "auth0";
import {
  deploymentGaps,
  describeAction,
  draftGaps,
  type LiveAction,
  readAction,
  refused,
  type StagedAction,
} from "./deployedState.js";
import { DeployIncompleteError } from "./deployIncompleteError.js";

export interface ConvergenceTiming {
  /** Between attempts while Auth0 builds the draft, and between read-backs; default 2000 ms. */
  pauseMs: number;
  /** Attempts at each of the two; default 30 (a minute at the default pause, as deploy-cli waits). */
  attempts: number;
}

const defaultTiming: ConvergenceTiming = { pauseMs: 2_000, attempts: 30 };

/** Deploys each staged Action Auth0 does not run as staged; returns `Action "x" (id): why` for each. */
export async function deployStagedActions(
  client: ManagementClient,
  actions: StagedAction[],
  timing: ConvergenceTiming = defaultTiming,
): Promise<string[]> {
  const deployed: string[] = [];
  for (const staged of actions) {
    const live = await readAction(client, staged.name);
    if (!live)
      throw new DeployIncompleteError(`Action "${staged.name}" is not in the tenant after the deploy`);
    const draft = draftGaps(staged, live);
    if (draft.length > 0) {
      throw new DeployIncompleteError(
        `${describeAction(live, draft)}: its update did not land; deploy again`,
      );
    }
    const gaps = deploymentGaps(staged, live);
    if (gaps.length === 0) continue;
    await deployDraft(client, live, timing);
    const left = await readBackUntilDeployed(client, staged, timing);
    if (left.length > 0) {
      throw new DeployIncompleteError(
        `${describeAction(live, left)}, even after deploying it: Auth0 does not run the staged Action`,
      );
    }
    deployed.push(describeAction(live, gaps));
  }
  return deployed;
}

/** POST …/deploy, retried while Auth0 is still building the draft (as deploy-cli's deployAction is). */
async function deployDraft(client: ManagementClient, live: LiveAction, timing: ConvergenceTiming) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.actions.deploy(live.id);
      return;
    } catch (error) {
      const building = /must be in the 'built' state/.test((error as Error).message);
      if (!building || attempt >= timing.attempts) throw refused(`deploying ${describeAction(live)}`, error);
      await pause(timing.pauseMs);
    }
  }
}

/** The gaps left once Auth0 reports the new version, or after the last read-back. */
async function readBackUntilDeployed(
  client: ManagementClient,
  staged: StagedAction,
  timing: ConvergenceTiming,
): Promise<string[]> {
  for (let attempt = 1; ; attempt += 1) {
    const live = await readAction(client, staged.name);
    const gaps = live ? deploymentGaps(staged, live) : ["it is gone"];
    if (gaps.length === 0 || attempt >= timing.attempts) return gaps;
    await pause(timing.pauseMs);
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
