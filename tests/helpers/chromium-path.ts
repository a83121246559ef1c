/** Where the tests find Debian's Chromium (CHROMIUM_PATH); shared by the browser helpers and global setup. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
