// `node dist/dev/surecloud-emulator/main.js state`: a running emulator's state through its admin
// API (docs/local-stack.md): each tenant's users with their status, link and groups by name.
import { z } from "zod";
import { ConfigError } from "../../shared/errors.js";
import { formatTable } from "../../toolbox/cli/table.js";
import { parseFlags } from "./cli.js";

export const STATE_USAGE = `Usage: node dist/dev/surecloud-emulator/main.js state [--url <emulator url>] [--tenant <id>] [--json]

Prints a running emulator's users (userName, email, status, the Auth0 user each is linked to,
groups by name) and groups, tenant by tenant, read from its admin API (/_emulator/).

Options:
  --url <url>      the emulator [EMULATOR_URL]; default http://127.0.0.1:4010
  --tenant <id>    only this tenant
  --json           the admin API's answers as JSON`;

const groupSchema = z.object({ id: z.string(), name: z.string() });
const tenantListSchema = z.object({ items: z.array(z.object({ id: z.string(), baseUrl: z.string() })) });
const tenantStateSchema = z.object({
  tenant: z.string(),
  groups: z.array(groupSchema),
  users: z.array(
    z.object({
      id: z.string(),
      userName: z.string(),
      email: z.string(),
      status: z.string(),
      externalId: z.string().nullable(),
      groups: z.array(groupSchema),
    }),
  ),
});
type TenantState = z.infer<typeof tenantStateSchema>;

/** Prints the state; resolves to the exit code. Throws ConfigError for a bad flag. */
export async function runStateCommand(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<number> {
  const values = parseFlags(
    argv,
    {
      url: { type: "string" },
      tenant: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
    "state",
  );
  const text = (name: string) => values[name] as string | undefined;
  if (values.help) {
    out(STATE_USAGE);
    return 0;
  }
  const url = (text("url") ?? env.EMULATOR_URL ?? "http://127.0.0.1:4010").replace(/\/+$/, "");
  const { items } = tenantListSchema.parse(await getJson(`${url}/_emulator/tenants`));
  const chosen = text("tenant") === undefined ? items : items.filter((item) => item.id === text("tenant"));
  if (chosen.length === 0) {
    throw new ConfigError(
      `state: no tenant "${text("tenant")}" (the emulator has ${items.map((item) => item.id).join(", ")})`,
    );
  }
  const states: Array<TenantState & { baseUrl: string }> = [];
  for (const item of chosen) {
    const state = tenantStateSchema.parse(
      await getJson(`${url}/_emulator/tenants/${encodeURIComponent(item.id)}`),
    );
    states.push({ ...state, baseUrl: item.baseUrl });
  }
  if (values.json) out(JSON.stringify(states, null, 2));
  else out(states.map(formatTenant).join("\n\n"));
  return 0;
}

async function getJson(url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(
      `cannot reach the emulator at ${url}: ${(error as Error).cause ?? (error as Error).message}`,
    );
  }
  if (!response.ok) throw new Error(`the emulator answered ${response.status} to GET ${url}`);
  return response.json();
}

function formatTenant(state: TenantState & { baseUrl: string }): string {
  const title = `Tenant ${state.tenant} (${state.baseUrl}): ${state.users.length} user(s), ${state.groups.length} group(s)`;
  const users =
    state.users.length === 0
      ? "No users."
      : formatTable(
          ["USERNAME", "EMAIL", "STATUS", "LINKED TO AUTH0 USER", "GROUPS"],
          state.users.map((user) => [
            user.userName,
            user.email,
            user.status,
            user.externalId ?? "(not linked)",
            user.groups
              .map((group) => group.name)
              .sort()
              .join(", ") || "(none)",
          ]),
        );
  const groups = formatTable(
    ["GROUP ID", "GROUP"],
    state.groups.map((group) => [group.id, group.name]),
  );
  return [title, users, "", groups].join("\n");
}
