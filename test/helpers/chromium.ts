import { existsSync } from 'node:fs';

/** Debian's Chromium (or `CHROMIUM_PATH`), for the browser tests; undefined when none is installed. */
export const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (candidate): candidate is string => !!candidate && existsSync(candidate),
);

/** Says why a browser test file skips. */
export function warnWithoutChromium(file: string): void {
  if (!CHROMIUM)
    console.warn(`${file}: skipped, no Chromium found (install Debian's \`chromium\` package or set CHROMIUM_PATH)`);
}

/** The flags this machine needs (docs/clients.md): no sandbox as root, no network beyond loopback. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
