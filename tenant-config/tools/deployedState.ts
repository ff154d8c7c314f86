// What deploy-cli's comparison cannot see: whether each staged Action is deployed as staged, and each
// event stream bound to its Action. deploy-cli's apply compares with the Action's `deployed` flag
// ignored (.auth0rc.json), so an Action created or updated by a run that was then interrupted stays
// undeployed for good (handlers/actions.ts deploys only what that same run created or updated). Read
// back from the Management API; tenant-deploy then deploys what is behind, tenant-diff reports it.
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { ManagementClient } from "auth0";
import { parse } from "yaml";
import { z } from "zod";
import { DeployIncompleteError } from "./deployIncompleteError.js";
import { fillJsonKeywords, fillKeywords } from "./keywords.js";

/** The part of the staged tenant.yaml this check reads; deploy-cli has validated the rest. */
const stagedFileSchema = z
  .object({
    actions: z
      .array(
        z
          .object({
            name: z.string(),
            code: z.string(),
            deployed: z.boolean().default(false),
            secrets: z.array(z.object({ name: z.string() }).loose()).default([]),
          })
          .loose(),
      )
      .default([]),
    eventStreams: z
      .array(
        z
          .object({
            name: z.string(),
            destination: z.object({ type: z.string(), configuration: z.record(z.string(), z.unknown()) }),
          })
          .loose(),
      )
      .default([]),
  })
  .loose();

/** An Action tenant.yaml marks `deployed: true`, with its keywords filled as deploy-cli fills them. */
export interface StagedAction {
  name: string;
  code: string;
  secretNames: string[];
}

/** An event stream that delivers to an Action, named as tenant.yaml names it. */
export interface StagedStream {
  name: string;
  actionName: string;
}

export interface StagedState {
  actions: StagedAction[];
  streams: StagedStream[];
}

/** Reads the staged input the way deploy-cli does: `@@NAME@@` and `##NAME##` filled, code beside the file. */
export async function readStagedState(
  inputFile: string,
  values: Record<string, unknown>,
): Promise<StagedState> {
  const texts: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) if (typeof value === "string") texts[name] = value;
  const staged = stagedFileSchema.parse(fillJsonKeywords(parse(await readFile(inputFile, "utf8")), values));
  const actions: StagedAction[] = [];
  for (const action of staged.actions.filter((candidate) => candidate.deployed)) {
    const code = await readFile(resolve(dirname(inputFile), action.code), "utf8");
    actions.push({
      name: fillKeywords(action.name, texts),
      code: fillKeywords(code, texts),
      secretNames: action.secrets.map((secret) => fillKeywords(secret.name, texts)),
    });
  }
  const streams = staged.eventStreams
    .filter((stream) => stream.destination.type === "action")
    .map((stream) => ({
      name: fillKeywords(stream.name, texts),
      actionName: fillKeywords(String(stream.destination.configuration.action_id), texts),
    }));
  return { actions, streams };
}

/** An Action as the Management API reports it: its draft, and the version Auth0 runs. */
export interface LiveAction {
  id: string;
  name: string;
  draft: { code: string | undefined; secretNames: string[] };
  deployed: { code: string | undefined; secretNames: string[] } | undefined;
  allChangesDeployed: boolean | undefined;
}

/** The tenant's Action of that name, if any. */
export async function readAction(client: ManagementClient, name: string): Promise<LiveAction | undefined> {
  // Names are unique, so the filtered first page holds it if the tenant has it.
  const found = await apiCall(`reading Action "${name}"`, async () => {
    const page = await client.actions.list({ actionName: name, per_page: 50 });
    return page.data.find((action) => action.name === name);
  });
  if (!found?.id) return undefined;
  const names = (secrets: { name?: string }[] | undefined) =>
    (secrets ?? []).map((secret) => String(secret.name));
  const version = found.deployed_version;
  return {
    id: found.id,
    name,
    draft: { code: found.code, secretNames: names(found.secrets) },
    deployed: version ? { code: version.code, secretNames: names(version.secrets) } : undefined,
    allChangesDeployed: found.all_changes_deployed,
  };
}

/** How an Action's draft differs from what was staged; empty when deploy-cli's update landed. */
export function draftGaps(staged: StagedAction, live: LiveAction): string[] {
  return sideGaps("draft", staged, live.draft);
}

/** Why the version Auth0 runs is not the staged Action; empty when it is. */
export function deploymentGaps(staged: StagedAction, live: LiveAction): string[] {
  if (!live.deployed) return ["it has no deployed version"];
  const gaps = sideGaps("deployed", staged, live.deployed);
  if (live.allChangesDeployed === false) gaps.push("it has changes that are not deployed");
  return gaps;
}

function sideGaps(side: string, staged: StagedAction, live: LiveAction["draft"]): string[] {
  const gaps: string[] = [];
  if (live.code !== staged.code) gaps.push(`its ${side} code is not the staged bundle`);
  const sameSecrets =
    live.secretNames.length === staged.secretNames.length &&
    staged.secretNames.every((name) => live.secretNames.includes(name));
  // The fingerprint secret's name changes with any secret value, so names stand for values here.
  if (!sameSecrets) gaps.push(`its ${side} secrets are not the staged ones`);
  return gaps;
}

/** `Action "name" (id)`, then `: gap; gap` when there are gaps. */
export function describeAction(live: LiveAction, gaps: string[] = []): string {
  const named = `Action "${live.name}" (${live.id})`;
  return gaps.length > 0 ? `${named}: ${gaps.join("; ")}` : named;
}

/**
 * Each staged stream the tenant has that does not deliver to its Action, described. A stream the
 * tenant lacks is deploy-cli's to create, and an Action it lacks deploy-cli's to report.
 */
export async function streamBindingGaps(
  client: ManagementClient,
  streams: StagedStream[],
): Promise<string[]> {
  if (streams.length === 0) return [];
  const live = await apiCall("reading the event streams", async () => {
    const all = [];
    for await (const stream of await client.eventStreams.list({})) all.push(stream);
    return all;
  });
  const gaps: string[] = [];
  for (const staged of streams) {
    const stream = live.find((candidate) => candidate.name === staged.name);
    const action = await readAction(client, staged.actionName);
    if (!stream || !action) continue;
    const destination = stream.destination as { type?: string; configuration?: { action_id?: string } };
    const target =
      destination.type === "action"
        ? `action ${destination.configuration?.action_id}`
        : `a ${destination.type} destination`;
    if (destination.type === "action" && destination.configuration?.action_id === action.id) continue;
    gaps.push(
      `Event stream "${staged.name}" (${stream.id}) delivers to ${target}, not to Action "${action.name}" (${action.id}); ` +
        "Auth0 cannot change a stream's destination: delete the stream in the Dashboard and deploy again",
    );
  }
  return gaps;
}

/** Runs a Management API call, naming what it did when Auth0 refuses it. */
export async function apiCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw refused(what, error);
  }
}

/** `Auth0 refused <what> (<status>): <its message>` */
export function refused(what: string, error: unknown): DeployIncompleteError {
  const status = (error as { statusCode?: number }).statusCode;
  const detail = String((error as Error).message)
    .replace(/\s+/g, " ")
    .trim();
  return new DeployIncompleteError(`Auth0 refused ${what}${status ? ` (${status})` : ""}: ${detail}`, {
    cause: error,
  });
}
