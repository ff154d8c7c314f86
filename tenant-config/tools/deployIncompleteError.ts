// The failure of a tenant deploy that stopped short of tenant-config: Auth0 refused a call, or what
// it reports after the run is not what was staged. The message names each resource and what is left;
// running the deploy again, once that is fixed, finishes the job (the deploy writes only what differs).
export class DeployIncompleteError extends Error {
  override readonly name = "DeployIncompleteError";
}
