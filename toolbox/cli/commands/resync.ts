// `surecloud-sync resync`: brings SureCloud back to what Auth0 says for one tenant or all, by
// queueing a sync job per Auth0 user (or, with --dry-run, printing each user's plan).
import type { Tenant, TenantsFile } from "../../../shared/tenants.js";
import type { Auth0Attributes } from "../../../worker/sync/verify.js";
import type { QueueHandle } from "../../ops/connectQueue.js";
import type { Auth0UserSource } from "../../resync/auth0Users.js";
import { findOrphans, type Orphan } from "../../resync/orphans.js";
import { countPreviews, formatPreviewTable } from "../../resync/planFormat.js";
import type { PreviewDeps } from "../../resync/preview.js";
import type { Progress } from "../../resync/progress.js";
import { type ResyncMode, type ResyncReport, runResync } from "../../resync/resync.js";
import {
  parseCommandArgs,
  printJson,
  queueOptions,
  queueOptionsHelpAt,
  queueSettings,
  runGuarded,
  tenantsOption,
  UsageError,
  withQueue,
} from "../args.js";
import type { CliCommand, CliIo } from "../command.js";
import {
  auth0AttributesOf,
  auth0SourceFrom,
  previewDepsFor,
  progressFor,
  requireTenants,
  selectTenants,
} from "../opsContext.js";
import { formatTable } from "../table.js";

const options = {
  ...queueOptions,
  ...tenantsOption,
  tenant: { type: "string" },
  all: { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
  "changes-only": { type: "boolean", default: false },
  orphans: { type: "boolean", default: false },
  "deactivate-orphans": { type: "boolean", default: false },
} as const;

interface Flags {
  json: boolean;
  dryRun: boolean;
  changesOnly: boolean;
  orphans: boolean;
  deactivateOrphans: boolean;
}

export const resyncCommand: CliCommand = {
  name: "resync",
  help: `Usage: surecloud-sync resync (--tenant <id> | --all) [options]

Lists the users of the tenant's Auth0 connection through the Management API (paged, waiting out
Auth0's rate limits) and queues a sync job for each, built from the user's current Auth0 state.
The worker applies the usual sync rules: a newer event for the same user still wins, and one
user's jobs never run at once. Repeating a resync while its jobs still wait adds no second job
for an unchanged user.

Options:
  --tenant <id>          The tenant organisation (its id in the tenants file)
  --all                  Every tenant in the tenants file
  --dry-run              Write nothing, queue nothing: print what the worker would do for each user
  --changes-only         With --dry-run: leave out the users already in step
  --orphans              Also report ACTIVE SureCloud users linked to Auth0 users that no longer exist
  --deactivate-orphans   As --orphans, and queue a job making each INACTIVE (groups kept)
  --tenants <file>       Tenants file (env TENANTS_FILE)
${queueOptionsHelpAt(25)}
  --json                 Print the report as JSON (progress stays on stderr)

Environment: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET (an application granted read:users),
DIRECTIVE_ATTRIBUTE (default app_metadata.user_type), ROLES_ATTRIBUTE (default app_metadata.roles), and each tenant's SureCloud token variable
for --dry-run and --orphans.

Example:
  surecloud-sync resync --tenant acme --dry-run --changes-only`,
  run: (args, io) =>
    runGuarded(io, "resync", async () => {
      const { values } = parseCommandArgs({ args, options, strict: true, allowPositionals: false });
      if (Boolean(values.tenant) === values.all)
        throw new UsageError("pass exactly one of --tenant <id> or --all");
      const file = await requireTenants(values, io.env);
      const tenants = selectTenants(file, values.tenant);
      const flags: Flags = {
        json: values.json,
        dryRun: values["dry-run"],
        changesOnly: values["changes-only"],
        orphans: values.orphans || values["deactivate-orphans"],
        deactivateOrphans: values["deactivate-orphans"],
      };
      const settings = queueSettings(values, io.env);
      // A plain dry run needs no Redis: it reads Auth0 and SureCloud only.
      const report =
        flags.dryRun && !flags.orphans
          ? await resync(io, flags, file, tenants, undefined)
          : await withQueue(settings, (handle) => resync(io, flags, file, tenants, handle));
      print(io, report, flags);
      return 0;
    }),
};

type Outcome = ResyncReport & { orphans?: Orphan[] };

async function resync(
  io: CliIo,
  flags: Flags,
  file: TenantsFile,
  tenants: Tenant[],
  handle: QueueHandle | undefined,
): Promise<Outcome> {
  const source = auth0SourceFrom(io);
  const attributes = auth0AttributesOf(io.env);
  const preview = flags.dryRun || flags.orphans ? previewDepsFor(file, tenants, io.env) : undefined;
  let mode: ResyncMode;
  if (flags.dryRun && preview) mode = { kind: "dry-run", preview };
  else if (handle) mode = { kind: "queue", queue: handle.queue };
  else throw new Error("a resync that queues jobs needs Redis");
  const report = await runResync({
    tenants,
    source,
    attributes,
    mode,
    progress: silentUntilListed(progressFor(io)),
  });
  if (!flags.orphans || !preview || !handle) return report;
  const deactivate = flags.deactivateOrphans && !flags.dryRun;
  const orphans = await orphansOf(report, {
    handle,
    tenants,
    source,
    preview,
    deactivate,
    attributes,
  });
  return { ...report, orphans };
}

/**
 * Progress that stays silent until Auth0 answers with a first page: a listing that fails at once
 * (Auth0 unreachable, credentials refused) prints its error alone, not `globex: users: 0` first.
 */
function silentUntilListed(progressOf: (tenant: Tenant) => Progress): (tenant: Tenant) => Progress {
  return (tenant) => {
    const progress = progressOf(tenant);
    let listed = false;
    return {
      update(done, total) {
        listed = true;
        progress.update(done, total);
      },
      note: (line) => progress.note(line),
      finish() {
        if (listed) progress.finish();
      },
    };
  };
}

interface OrphanContext {
  handle: QueueHandle;
  tenants: Tenant[];
  source: Auth0UserSource;
  preview: PreviewDeps;
  /** Queue a job making each orphan INACTIVE; else only report. */
  deactivate: boolean;
  attributes: Auth0Attributes;
}

async function orphansOf(report: ResyncReport, context: OrphanContext): Promise<Orphan[]> {
  const orphans: Orphan[] = [];
  for (const summary of report.tenants) {
    const tenant = context.tenants.find((candidate) => candidate.id === summary.tenantId);
    const runtime = context.preview.runtimes.get(summary.tenantId);
    if (!tenant || !runtime) throw new Error(`tenant "${summary.tenantId}" has no SureCloud client`);
    const { queue, redis } = context.handle;
    const found = await findOrphans({
      redis,
      queueName: queue.name,
      tenant,
      listed: summary.auth0UserIds,
      source: context.source,
      directory: runtime.directory,
      deactivate: context.deactivate
        ? { queue, attributes: context.attributes, runId: report.runId }
        : undefined,
    });
    orphans.push(...found);
  }
  return orphans;
}

function print(io: CliIo, report: Outcome, flags: Flags): void {
  if (flags.json) {
    const tenants = report.tenants.map(({ auth0UserIds: _ids, ...summary }) => summary);
    printJson(io, { ...report, tenants });
    return;
  }
  if (report.dryRun) printDryRun(io, report, flags.changesOnly);
  else {
    const rows = report.tenants.map((summary) => [
      summary.tenantId,
      summary.connections.join(", "),
      String(summary.listed),
      String(summary.queued),
      String(summary.alreadyQueued),
      String(summary.rejected),
      summary.via,
      `${(summary.durationMs / 1000).toFixed(1)}s`,
    ]);
    const headers = ["TENANT", "CONNECTION", "LISTED", "QUEUED", "ALREADY QUEUED", "REJECTED", "VIA", "TIME"];
    io.out(formatTable(headers, rows));
    io.out(`\nResync ${report.runId}: ${report.jobIds.length} jobs queued; the worker applies them.`);
  }
  if (report.orphans) printOrphans(io, report.orphans);
}

function printDryRun(io: CliIo, report: ResyncReport, changesOnly: boolean): void {
  const shown = changesOnly
    ? report.previews.filter((preview) => !(preview.outcome === "plan" && preview.action === "none"))
    : report.previews;
  if (shown.length > 0) io.out(`${formatPreviewTable(shown)}\n`);
  for (const summary of report.tenants) {
    const mine = report.previews.filter((preview) => preview.tenantId === summary.tenantId);
    const counts = countPreviews(mine) || "no users";
    io.out(
      `Dry run, tenant ${summary.tenantId}: ${summary.listed} users listed: ${counts}. Nothing was written.`,
    );
  }
}

function printOrphans(io: CliIo, orphans: Orphan[]): void {
  if (orphans.length === 0) {
    io.out("\nNo ACTIVE SureCloud user is linked to a deleted Auth0 user.");
    return;
  }
  const rows = orphans.map((orphan) => [
    orphan.tenantId,
    orphan.auth0UserId,
    orphan.sureCloudUserId,
    orphan.userName,
    orphan.deactivationJobId ? `INACTIVE job queued (${orphan.deactivationJobId})` : "reported only",
  ]);
  const table = formatTable(["TENANT", "AUTH0 USER", "SURECLOUD USER", "USERNAME", "ACTION"], rows);
  io.out(`\nSureCloud users linked to Auth0 users that no longer exist:\n${table}`);
}
