// Running a command-line program made of lazily loaded commands: the usage text, `--help` on every
// command, exit codes (2 for a usage mistake), and the process's own streams. Both binaries use it:
// `surecloud-sync` (toolbox/cli/main.ts) and `surecloud-tenant` (tenant-config/tools/main.ts).
import type { CliCommand, CliIo } from "./command.js";

export interface CommandEntry {
  name: string;
  /** One line for the command list. */
  summary: string;
  load: () => Promise<CliCommand>;
}

export interface CliProgram {
  /** The binary's name, as usage texts print it. */
  name: string;
  commands: CommandEntry[];
}

export async function runProgram(program: CliProgram, argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out(usage(program));
    return name ? 0 : 2;
  }
  const entry = program.commands.find((candidate) => candidate.name === name);
  if (!entry) {
    io.err(`Unknown command "${name}".\n\n${usage(program)}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(command.help);
    return 0;
  }
  return command.run(rest, io);
}

function usage(program: CliProgram): string {
  const width = Math.max(...program.commands.map((command) => command.name.length), 4);
  const lines = program.commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    `Usage: ${program.name} <command> [options]`,
    "",
    "Commands:",
    ...lines,
    "",
    "Run a command with --help for its options.",
  ].join("\n");
}

/** Runs the program on this process's arguments and streams; sets the exit code. */
export async function runAsProcess(program: CliProgram): Promise<void> {
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  };
  try {
    process.exitCode = await runProgram(program, process.argv.slice(2), io);
  } catch (error) {
    io.err(`Error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
