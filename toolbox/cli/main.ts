#!/usr/bin/env node
// The operations CLI: `surecloud-sync <command> [options]`, `--help` on every command.
import { isEntryPoint } from "../../shared/entryPoint.js";
import type { CliIo } from "./command.js";
import { commands } from "./commands/index.js";
import { type CliProgram, runAsProcess, runProgram } from "./program.js";

export const operationsCli: CliProgram = { name: "surecloud-sync", commands };

export function runCli(argv: string[], io: CliIo): Promise<number> {
  return runProgram(operationsCli, argv, io);
}

if (isEntryPoint(import.meta.url)) await runAsProcess(operationsCli);
