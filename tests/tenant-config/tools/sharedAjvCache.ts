// Test speed only: deploy-cli validates with a new ajv instance each time, recompiling its large JSON
// schema (seconds on a small CI machine). One compile cache shared by all instances keeps the same
// validation and compiles the schema once per test file.
import { createRequire } from "node:module";

interface AjvModule {
  (this: unknown, options?: Record<string, unknown>): unknown;
  prototype: object;
}

export function shareAjvCompileCache(): void {
  const fromCli = createRequire(createRequire(import.meta.url).resolve("auth0-deploy-cli"));
  const ajvPath = fromCli.resolve("ajv/lib/ajv");
  const Ajv = fromCli("ajv/lib/ajv") as AjvModule & { __sharedCache?: true };
  const cached = fromCli.cache[ajvPath];
  if (!cached || Ajv.__sharedCache) return;
  const Cache = fromCli("ajv/lib/cache") as new () => unknown;
  const cache = new Cache();
  function SharedCacheAjv(options: Record<string, unknown> = {}) {
    return new (Ajv as unknown as new (options: Record<string, unknown>) => unknown)({ ...options, cache });
  }
  Object.assign(SharedCacheAjv, Ajv, { __sharedCache: true });
  SharedCacheAjv.prototype = Ajv.prototype;
  cached.exports = SharedCacheAjv;
}
