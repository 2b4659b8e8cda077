/**
 * Debian's headless Chromium, driven by playwright-core (which brings no browser of its own), for
 * the e2e files that look at what a person would: offline only, since they use the sandbox's own
 * origins and pages. `.ci/run` installs Chromium, and in CI a missing one fails those files;
 * elsewhere they skip and say so.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function describeInBrowser(file: string): jest.Describe {
  const runnable = process.env.E2E_OFFLINE && (existsSync(chromiumPath) || process.env.CI);
  if (process.env.E2E_OFFLINE && !runnable) {
    console.warn(
      `${file} skipped: no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`,
    );
  }
  return runnable ? describe : describe.skip;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
}
