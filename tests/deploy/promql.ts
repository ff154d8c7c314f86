// The metric names a PromQL expression reads, and the names a /metrics page offers, so the alert rules
// and the dashboard can be checked against what a worker really exposes.

const notMetrics = new Set([
  "and",
  "or",
  "unless",
  "bool",
  "offset",
  "by",
  "without",
  "on",
  "ignoring",
  "inf",
  "nan",
]);

/** Metric names in a PromQL expression: identifiers that are not functions, labels, keywords or durations. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "");
  const names = [...bare.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?!\w)(\s*\()?/g)]
    .filter((match) => match[2] === undefined && !notMetrics.has(match[1]?.toLowerCase() ?? ""))
    .map((match) => match[1] as string);
  return [...new Set(names)];
}

/** Every series name a Prometheus text page declares, histogram and summary parts included. */
export function exposedNames(page: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of page.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (!name) continue;
    names.add(name);
    if (type === "histogram") for (const part of ["_bucket", "_sum", "_count"]) names.add(name + part);
    if (type === "summary") for (const part of ["_sum", "_count"]) names.add(name + part);
  }
  return names;
}

/** Grafana's variables replaced by values PromQL accepts, so a panel's query can be parsed. */
export function withoutGrafanaVariables(expr: string): string {
  return expr.replaceAll("$__rate_interval", "5m").replaceAll("$__range", "1h").replace(/\$\w+/g, ".*");
}
