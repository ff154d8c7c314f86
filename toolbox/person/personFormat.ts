// One person for people: the Auth0 ids, each SureCloud account (status, groups by name), the
// recent jobs with their outcomes and the audit trail, each a short section.
import type { StoredAuditEntry } from "../../worker/audit/auditEntry.js";
import { formatAuditTable } from "../audit/auditFormat.js";
import { formatTable } from "../cli/table.js";
import type { PersonJob } from "./personJobs.js";
import type { Person } from "./resolvePerson.js";
import type { SureCloudAccount } from "./sureCloudAccount.js";

export function formatPerson(person: Person, audit: StoredAuditEntry[], limit: number): string {
  const ids = person.auth0UserIds.length > 0 ? person.auth0UserIds.join(", ") : "(none found)";
  const sections = [
    fields(
      [
        ["Person", person.query],
        ["Auth0 user", ids],
      ],
      "",
    ),
  ];
  if (person.accounts.length === 0) sections.push("SureCloud account: none found");
  for (const account of person.accounts) sections.push(formatAccount(account));
  const jobs = person.jobs.slice(0, limit);
  sections.push(
    jobs.length === 0
      ? "Jobs: none in the queue's recent history"
      : `Jobs (newest first, ${jobs.length} of ${person.jobs.length})\n${formatJobs(jobs)}`,
  );
  sections.push(
    audit.length === 0
      ? "Audit trail: no changes recorded"
      : `Audit trail (oldest first, last ${audit.length})\n${formatAuditTable(audit)}`,
  );
  if (person.notes.length > 0) sections.push(person.notes.map((note) => `Note: ${note}`).join("\n"));
  return sections.join("\n\n");
}

function formatAccount(account: SureCloudAccount): string {
  const { user } = account;
  const name = user.displayName ?? ([user.givenName, user.familyName].filter(Boolean).join(" ") || "-");
  const groups =
    account.groups.length === 0
      ? "(none)"
      : account.groups
          .map((group) => (group.inCatalogue ? group.name : `${group.name} (not in the catalogue)`))
          .sort()
          .join(", ");
  return [
    `SureCloud account in tenant ${account.tenantId} (found by ${account.foundBy})`,
    fields(
      [
        ["id", user.id],
        ["status", user.status],
        ["userName", user.userName],
        ["email", user.email],
        ["name", name],
        ["linked to", user.externalId ?? "(not linked)"],
        ["groups", groups],
      ],
      "  ",
    ),
  ].join("\n");
}

function formatJobs(jobs: PersonJob[]): string {
  return formatTable(
    ["JOB ID", "STATE", "TYPE", "DIRECTIVE", "WHEN", "OUTCOME"],
    jobs.map((job) => [
      job.jobId,
      job.state,
      job.eventType ?? "-",
      `${job.directive}${job.blocked ? " (blocked)" : ""}`,
      job.finishedAt ?? job.queuedAt ?? "-",
      job.outcome,
    ]),
  );
}

function fields(pairs: Array<[string, string]>, indent: string): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`).join("\n");
}
