#!/usr/bin/env node
// The operations CLI: `surecloud-sync <command> [options]`, `--help` on every command.
import { pathToFileURL } from "node:url";
import type { CliIo } from "./command.js";
import { commands } from "./commands/index.js";
import { type CliProgram, runAsProcess, runProgram } from "./program.js";

export const operationsCli: CliProgram = { name: "surecloud-sync", commands };

export function runCli(argv: string[], io: CliIo): Promise<number> {
  return runProgram(operationsCli, argv, io);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await runAsProcess(operationsCli);
