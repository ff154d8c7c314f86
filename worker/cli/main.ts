#!/usr/bin/env node
// The operations CLI: `surecloud-sync <command> [options]`, `--help` on every command.
import { pathToFileURL } from "node:url";
import type { CliIo } from "./command.js";
import { type CommandEntry, commands } from "./commands/index.js";

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(usage(commands));
    return name ? 0 : 2;
  }
  const entry = commands.find((candidate) => candidate.name === name);
  if (!entry) {
    io.err(`Unknown command "${name}".\n\n${usage(commands)}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(command.help);
    return 0;
  }
  return command.run(rest, io);
}

function usage(list: CommandEntry[]): string {
  const width = Math.max(...list.map((command) => command.name.length), 4);
  const lines = list.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    "Usage: surecloud-sync <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run a command with --help for its options.",
  ].join("\n");
}

async function main(): Promise<void> {
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  };
  try {
    process.exitCode = await runCli(process.argv.slice(2), io);
  } catch (error) {
    io.err(`Error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
