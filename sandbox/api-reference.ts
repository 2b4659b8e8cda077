/**
 * The API reference a developer reads at `GET /docs`: Scalar's API reference rendering the
 * sandbox's own OpenAPI document, its script served from node_modules (the machine may be
 * offline, so nothing comes from a CDN, default fonts included).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DevRoute } from './api-gateway.js';

const apiReferencePath = '/docs';
const scriptPath = `${apiReferencePath}/api-reference.js`;

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>serverless-saas API reference</title>
  </head>
  <body>
    <script id="api-reference" data-url="/openapi.json" data-configuration='{"withDefaultFonts":false,"defaultOpenAllTags":true}'></script>
    <script src="${scriptPath}"></script>
  </body>
</html>
`;

/**
 * Scalar's standalone browser build, one script holding the whole reference, beside the entry
 * point the package exports (its exports name no other file).
 */
function standaloneScript(): string {
  const entry = fileURLToPath(import.meta.resolve('@scalar/api-reference'));
  return join(dirname(entry), 'browser', 'standalone.js');
}

export function apiReferenceRoutes(): DevRoute[] {
  let script: Promise<Buffer> | undefined;
  return [
    {
      method: 'GET',
      path: apiReferencePath,
      handle: async () => ({ statusCode: 200, body: page, contentType: 'text/html; charset=utf-8' }),
    },
    {
      method: 'GET',
      path: scriptPath,
      handle: async () => {
        script ??= readFile(standaloneScript());
        return { statusCode: 200, body: await script, contentType: 'text/javascript; charset=utf-8' };
      },
    },
  ];
}
