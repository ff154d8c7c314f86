// The shape of one operations-CLI command. Each command lives in its own file under commands/.

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

export interface CliCommand {
  /** The word after the binary name, e.g. `status`. */
  name: string;
  /** Full `--help` text: usage, options with defaults, an example. */
  help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}
