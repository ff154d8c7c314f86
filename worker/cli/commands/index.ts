// Every operations-CLI command, in the order `--help` lists them. Add a command here and nowhere else.
import type { CliCommand } from "../command.js";

export const commands: CliCommand[] = [];
