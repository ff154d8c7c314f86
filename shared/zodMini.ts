// zod/mini for the schemas the Action bundles (classic zod would put it far over Auth0's 100 kB),
// with English messages: zod/mini sets no locale, so this module installs English unless one is set.
import { en } from "zod/locales";
import { config } from "zod/mini";

if (!config().localeError) config(en());

export * from "zod/mini";
