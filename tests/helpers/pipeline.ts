// Integration tests run the same local stack as the demo: emulator, worker processes, built Action.
export {
  type LocalStack as Pipeline,
  startLocalStack as startPipeline,
  stopProcess,
  tokenEnvOf,
  tokenOf,
} from "../../dev/localStack.js";
