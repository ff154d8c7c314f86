// Entry point of the standalone SureCloud emulator (dist/dev/surecloud-emulator/main.js): starts it
// from flags and environment, and closes it cleanly on SIGTERM/SIGINT; or, as `main.js state`,
// prints a running emulator's users and groups.
import { ConfigError } from "../../shared/errors.js";
import { runEmulatorCli } from "./cli.js";
import { runStateCommand } from "./stateCommand.js";

async function main(): Promise<void> {
  const [first, ...rest] = process.argv.slice(2);
  if (first === "state") {
    process.exitCode = await runStateCommand(rest, process.env, (line) => console.log(line));
    return;
  }
  const emulator = await runEmulatorCli(process.argv.slice(2), process.env, (line) => console.log(line));
  if (!emulator) return;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`surecloud-emulator: ${signal}, closing`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("surecloud-emulator: close failed", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  // A bad flag or tenants file is an operator's mistake: one line naming it, no stack.
  if (error instanceof ConfigError) console.error(`surecloud-emulator: ${error.message}`);
  else if (process.argv[2] === "state")
    console.error(`surecloud-emulator state: ${(error as Error).message}`);
  else console.error("surecloud-emulator: failed to start", error);
  process.exit(process.argv[2] === "state" && !(error instanceof ConfigError) ? 1 : 2);
});
