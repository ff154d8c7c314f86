// Bounding a wait on a dependency (Redis) that may not answer: used by the Action, which must throw
// well inside Auth0's budget, and by the worker's readiness probe. No dependencies: the Action bundles it.

/** Resolves as `work` does, or rejects with "<what> did not answer within <ms> ms". */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  // The losing promise may still reject later; it must not become an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
