// The operator's pictures (deploy/monitoring/): the alert rules pass promtool's check and its unit
// tests, match the README's alert table, and together with the Grafana dashboard read only metrics a
// running worker (`node dist/worker/main.js`) exposes on /metrics.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { freePort } from "../../dev/freePort.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { root } from "./manifests.js";
import { exposedNames, metricNames, withoutGrafanaVariables } from "./promql.js";

const monitoring = join(root, "deploy/monitoring");
const rulesFile = join(monitoring, "surecloud-sync.rules.yml");
type Rule = { alert: string; expr: string; for?: string };
const rules: Rule[] = parseYaml(readFileSync(rulesFile, "utf8")).groups.flatMap(
  (g: { rules: Rule[] }) => g.rules,
);
const dashboard = JSON.parse(readFileSync(join(monitoring, "surecloud-sync.dashboard.json"), "utf8"));
// biome-ignore lint/suspicious/noExplicitAny: Grafana's panel JSON.
const panels: any[] = dashboard.panels.filter((panel: { type: string }) => panel.type !== "row");
const panelQueries: string[] = panels.flatMap((panel) => panel.targets.map((t: { expr: string }) => t.expr));
/** How a panel names the dashboard's datasource variable (Grafana's syntax, not a template string). */
const datasourceUid = ["$", "{datasource}"].join("");
const variableQueries: string[] = dashboard.templating.list.flatMap((v: { definition?: string }) =>
  v.definition ? [v.definition] : [],
);

function promtool(...args: string[]) {
  const run = spawnSync("/usr/bin/promtool", args, { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("the Prometheus rules", () => {
  it("pass `promtool check rules`", () => {
    const run = promtool("check", "rules", rulesFile);
    expect(run.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(run.status).toBe(0);
  });

  it("fire as their promtool unit tests expect", () => {
    const run = promtool("test", "rules", join(monitoring, "surecloud-sync.rules.test.yml"));
    expect(run.output).toContain("SUCCESS");
    expect(run.status).toBe(0);
  });

  it("are the README's alert table: the same alerts, expressions and durations", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Metrics and alerts"));
    const rows = [...section.matchAll(/^\| [^|]+ \| `(GroupSync\w+)` \| `(.+?)`( for (\d+) m)? \| /gm)];
    const table = rows.map(([, alert, expr, , minutes]) => ({
      alert,
      expr: expr?.replaceAll("\\|", "|"),
      ...(minutes ? { for: `${minutes}m` } : {}),
    }));
    const byAlert = (a: { alert?: string }, b: { alert?: string }) =>
      (a.alert ?? "").localeCompare(b.alert ?? "");
    const inFile = rules.map(({ alert, expr, for: wait }) => ({
      alert,
      expr,
      ...(wait ? { for: wait } : {}),
    }));
    expect(table.sort(byAlert)).toEqual(inFile.sort(byAlert));
  });
});

describe("the Grafana dashboard", () => {
  it("imports anywhere: a Prometheus datasource variable that every panel and query uses", () => {
    const variable = dashboard.templating.list.find((v: { type: string }) => v.type === "datasource");
    expect(variable).toMatchObject({ name: "datasource", query: "prometheus" });
    expect(dashboard.uid).toBe("surecloud-group-sync");
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: "prometheus", uid: datasourceUid });
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets) expect(target.datasource.uid).toBe(datasourceUid);
    }
  });

  it("lays its panels out without overlap on Grafana's 24-column grid", () => {
    const cells = new Set<string>();
    for (const panel of dashboard.panels) {
      const { x, y, w, h } = panel.gridPos;
      expect(x + w, panel.title).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i += 1) {
        for (let j = y; j < y + h; j += 1) {
          expect(cells.has(`${i},${j}`), `${panel.title} overlaps at ${i},${j}`).toBe(false);
          cells.add(`${i},${j}`);
        }
      }
    }
  });

  it("queries only valid PromQL (checked by promtool)", () => {
    const dir = mkdtempSync(join(tmpdir(), "dashboard-promql-"));
    try {
      const records = panelQueries.map((expr, n) => ({
        record: `dashboard:query_${n}`,
        expr: withoutGrafanaVariables(expr),
      }));
      writeFileSync(join(dir, "queries.yml"), stringify({ groups: [{ name: "dashboard", rules: records }] }));
      const run = promtool("check", "rules", join(dir, "queries.yml"));
      expect(run.output).toContain(`SUCCESS: ${records.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the metrics the rules and the dashboard read", () => {
  let pipeline: Pipeline;
  let page: string;

  beforeAll(async () => {
    const port = await freePort();
    pipeline = await startPipeline({ workerEnv: { HTTP_PORT: String(port) } });
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
    page = await response.text();
  }, 60_000);
  afterAll(async () => {
    await pipeline?.stop();
  });

  it("finds metric names in PromQL, leaving out functions, labels, keywords and durations", () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (tenant, le) (rate(a_bucket{x="y or z"}[5m] offset 1h))) > 1e3 and on (job) b unless c:ratio',
      ).sort(),
    ).toEqual(["a_bucket", "b", "c:ratio"]);
  });

  it("are all on a running worker's /metrics", () => {
    const exposed = exposedNames(page);
    expect(exposed.has("group_sync_jobs_total")).toBe(true);
    const used = new Set([
      ...rules.flatMap((rule) => metricNames(rule.expr)),
      ...panelQueries.flatMap((expr) => metricNames(withoutGrafanaVariables(expr))),
      ...variableQueries.flatMap((query) => [...(/label_values\((\w+)/.exec(query)?.slice(1) ?? [])]),
    ]);
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
  });
});
