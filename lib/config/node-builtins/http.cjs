// Bundled in place of `import ... from 'node:http'` (see lib/config/bundling.ts): CommonJS loading
// of the builtin, which does not build its ESM facade and so does not load Node's internal undici.
// `require` is not used because the alias would point it back at this file.
module.exports = process.getBuiltinModule('node:http');
