import { z } from 'zod';

/**
 * Zod, configured before any schema is built. `jitless` stops zod compiling object parsers with
 * `new Function`: the page's Content-Security-Policy has no 'unsafe-eval', and zod's probe for it
 * (`Function('')`) would report a CSP violation on every load. Parsing works the same, interpreted.
 * Every schema module imports `z` from here, never from 'zod' directly.
 */
z.config({ jitless: true });

export { z };
