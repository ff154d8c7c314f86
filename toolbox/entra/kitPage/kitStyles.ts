// The kit page's stylesheet, inlined into the page: the forms on the left, the Entra guide beside them
// (below them on a narrow screen), and a print view without the interactive parts.

export const kitStyles = `
:root { color-scheme: light; --ink: #1c2430; --muted: #5b6675; --line: #d8dee6; --accent: #0b5cad;
  --good: #1d7a3a; --bad: #b3261e; --warn-bg: #fff6dd; --panel: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
header { padding: 20px 28px 14px; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { margin: 0 0 4px; font-size: 22px; }
header h1 code { font-size: 20px; }
header p { margin: 4px 0; color: var(--muted); max-width: 80ch; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 380px; gap: 28px; padding: 8px 28px 40px; }
@media (max-width: 1100px) { .layout { grid-template-columns: minmax(0, 1fr); } }
main section { margin-top: 22px; }
h2 { font-size: 18px; margin: 0 0 8px; }
h3 { font-size: 15px; margin: 12px 0 4px; }
h4 { font-size: 14px; margin: 0 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
code, pre, textarea { font: 12.5px/1.45 ui-monospace, "Cascadia Mono", Consolas, monospace; }
td code, aside code { overflow-wrap: anywhere; }
pre.expression { white-space: pre-wrap; word-break: break-all; background: var(--panel); border: 1px solid var(--line);
  border-radius: 6px; padding: 10px 12px; margin: 6px 0; }
button { font: inherit; padding: 5px 14px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent);
  color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
.muted { color: var(--muted); }
.status { margin-left: 10px; color: var(--good); }
ul.groups { margin: 0; padding-left: 18px; }
ul.notes { padding-left: 18px; }
.outcome.bad, .bad { color: var(--bad); }
.good { color: var(--good); }
.warn { background: var(--warn-bg); padding: 4px 8px; border-radius: 4px; list-style-position: inside; }
.verdict { font-weight: 600; }
tr.differs td { background: #fdeceb; }
.picker { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 6px 0 10px; }
.picker label { white-space: nowrap; }
.source { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 10px 0; }
input[type=text] { font: inherit; padding: 3px 6px; width: 22em; }
textarea { width: 100%; min-height: 110px; padding: 8px; }
aside#guide { border-left: 1px solid var(--line); padding-left: 22px; }
@media (max-width: 1100px) { aside#guide { border-left: 0; padding-left: 0; border-top: 1px solid var(--line); } }
ol.steps { padding-left: 20px; }
ol.steps > li { margin-bottom: 10px; }
ol.steps ul { padding-left: 16px; margin: 0; }
a { color: var(--accent); }
.offscreen { position: fixed; left: -9999px; top: 0; }
@media print { button, #evaluator, #checker { display: none; } }
`;
