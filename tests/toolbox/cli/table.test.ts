// Tables on a terminal: within the width, text columns wrapped at spaces, ids never cut; a table
// that cannot fit so is printed one record at a time; piped output keeps one line a row.
import { describe, expect, it } from "vitest";
import { formatTable, outputWidth, wrapText } from "../../../toolbox/cli/table.js";

const widest = (text: string) => Math.max(...text.split("\n").map((line) => line.length));

describe("formatTable", () => {
  const message =
    'SureCloud user usr_zQ1hHq0aBXHD matched by userName "dan@beta.example" is linked to another Auth0 user';

  it("leaves a table that fits as it is", () => {
    expect(formatTable(["A", "B"], [["x", "yy"]], { width: 120 })).toBe("A  B\n-  --\nx  yy");
  });

  it("wraps the text column at spaces to fit, keeping ids whole", () => {
    const id = "event-evt_67f56bfbb7ca49948c7411";
    const table = formatTable(["JOB ID", "MESSAGE"], [[id, message]], { width: 80 });
    expect(widest(table)).toBeLessThanOrEqual(80);
    expect(table.split("\n")[2]).toMatch(new RegExp(`^${id}  SureCloud user`));
    expect(
      table
        .split("\n")
        .slice(2)
        .map((line) => line.slice(34).trim())
        .join(" "),
    ).toBe(message);
  });

  it("prints one record at a time when wrapping would leave the text too narrow", () => {
    const ids = ["event-evt_67f56bfbb7ca49948c7411", "samlp|beta-entra|d2e8", "evt_67f56bfbb7ca49948c7411"];
    const table = formatTable(["JOB ID", "AUTH0 USER", "EVENT", "MESSAGE"], [ids.concat(message)], {
      width: 60,
    });
    expect(widest(table)).toBeLessThanOrEqual(60);
    expect(table.split("\n").slice(0, 3)).toEqual([
      `JOB ID      ${ids[0]}`,
      `AUTH0 USER  ${ids[1]}`,
      `EVENT       ${ids[2]}`,
    ]);
    expect(table.replace(/\n {12}/g, " ")).toContain(`MESSAGE     ${message}`);
  });

  it("fits $COLUMNS, a terminal's width, and nothing when piped", () => {
    expect(outputWidth({ COLUMNS: "100" }, { isTTY: false })).toBe(100);
    expect(outputWidth({}, { isTTY: true, columns: 132 })).toBe(132);
    expect(outputWidth({}, { isTTY: true })).toBe(120);
    expect(outputWidth({}, { isTTY: false })).toBeUndefined();
  });
});

describe("wrapText", () => {
  it("breaks at spaces, and inside a word longer than the width", () => {
    expect(wrapText("one two three", 7)).toEqual(["one two", "three"]);
    expect(wrapText("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });
});
