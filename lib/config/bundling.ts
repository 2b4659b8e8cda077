/**
 * How every function is bundled, shared by the CDK construct and the benchmark so what is measured
 * is what deploys. Each handler is bundled alone as minified ESM (esbuild tree-shakes it), with:
 * - the AWS SDK clients bundled, not taken from the runtime: pinned by package-lock.json, and only
 *   the code a function uses is loaded at cold start;
 * - no source maps: Node's --enable-source-maps parses every map at start (about 1.2 MB a
 *   function); `keepNames` keeps function and class names in stack traces instead;
 * - `node:http` taken through CommonJS (the shim in node-builtins/): an ESM `import` of it, which
 *   esbuild keeps as such in ESM output (the SDK's and Powertools' ESM builds have one), makes Node
 *   build the module's ESM facade, which reads every export including the lazy WebSocket getters
 *   and so loads Node's internal undici at cold start (about 25-35 ms). `node:https` does not.
 */
const builtinShims = {
  'node:http': './lib/config/node-builtins/http.cjs',
  http: './lib/config/node-builtins/http.cjs',
};

export const functionBundling = {
  minify: true,
  keepNames: true,
  target: 'node24',
  mainFields: ['module', 'main'],
  /** None: the SDK is bundled too. */
  externalModules: [] as string[],
  // CommonJS dependencies bundled into ESM still call require(); give them one.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  /** Relative to the project root, which is esbuild's working directory in the CDK and the bench. */
  esbuildArgs: Object.fromEntries(
    Object.entries(builtinShims).map(([module, shim]) => [`--alias:${module}`, shim]),
  ) as Record<string, string>,
};
