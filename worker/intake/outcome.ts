// What the intake answers: one outcome per request, its HTTP status and its metric label. Auth0
// retries a 5xx (three times, then keeps the event for redelivery) but never a 4xx, and disables a
// stream after 500 failures in a row, so a 4xx is kept for what no retry can fix.

export const intakeStatus = {
  /** The event's job is stored (or already was: a redelivery keeps its one job). */
  queued: 202,
  /** A sound delivery with nothing to sync: Auth0's test event, a connection outside INTAKE_CONNECTIONS. */
  ignored: 200,
  /** The body is not JSON. */
  malformed: 400,
  /** No bearer token, or the wrong one. */
  unauthorized: 401,
  "not-found": 404,
  "method-not-allowed": 405,
  /** The body is over the limit; it is not read further. */
  "too-large": 413,
  /** JSON, but not a user CloudEvent this sync can handle (wrong type, no user id, no connection). */
  rejected: 422,
  /** An unexpected failure; Auth0 retries. */
  error: 500,
  /** Redis did not store the job in time; Auth0 retries. */
  unavailable: 503,
} as const satisfies Record<string, number>;

export type IntakeOutcome = keyof typeof intakeStatus;

export const intakeOutcomes = Object.keys(intakeStatus) as IntakeOutcome[];
