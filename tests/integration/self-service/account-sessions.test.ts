/**
 * The sessions list over HTTP, behind a proxy (TRUST_PROXY): two browsers with their own
 * User-Agent and X-Forwarded-For sign in to /account; each lists both, with browser, system,
 * coarse network and last seen, "this device" on its own; only the coarse network is stored;
 * ending one from the other deletes its record, and so does a logout at the provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAgent } from '../../helpers/browser.js';
import { page, post, signInToAccount, startWorld, type SelfServiceWorld } from './support.js';

const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const PASSWORD = 'a long and private passphrase';

let world: SelfServiceWorld;
beforeAll(async () => {
  world = await startWorld({ TRUST_PROXY: 'true' });
  const { createUser } = await import('../../../server/modules/users/index.js');
  await createUser(world.op.running.container, { username: 'two-browsers', email: 'two-browsers@example.com', emailVerified: true, password: PASSWORD, profile: {} });
});
afterAll(async () => {
  await world?.stop();
});

/** The list items of the sessions section, as text with their end-session form's id. */
function sessionsOf(html: string): Array<{ text: string; id: string }> {
  const section = html.slice(html.indexOf('id="sessions"'));
  const list = section.slice(0, section.indexOf('</ul>'));
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => ({
    text: m[1]!.replace(/<form[\s\S]*?<\/form>/g, '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim(),
    id: /action="\/account\/sessions\/([^/"]+)\/end/.exec(m[1]!)?.[1] ?? '',
  }));
}

const rowsOf = async (username: string) => {
  const user = await world.op.running.container.users.findByUsername(username);
  return world.op.running.container.database.knex('session_devices').where({ user_id: user!.id }).select('*');
};

describe('/account sessions', () => {
  it('lists every session with its browser, network and last seen; ending one deletes its record; so does a logout', async () => {
    const chrome = new UserAgent(world.op.issuer, { 'user-agent': CHROME_LINUX, 'x-forwarded-for': '203.0.113.7' });
    const firefox = new UserAgent(world.op.issuer, { 'user-agent': FIREFOX_WINDOWS, 'x-forwarded-for': '198.51.100.20' });
    await signInToAccount(firefox, 'two-browsers', PASSWORD);
    await signInToAccount(chrome, 'two-browsers', PASSWORD);

    const html = (await page(chrome, '/account')).html;
    const listed = sessionsOf(html);
    expect(listed).toHaveLength(2);
    const here = listed.find((s) => s.text.includes('this device'))!;
    const there = listed.find((s) => !s.text.includes('this device'))!;
    expect(here.text).toMatch(/^Chrome on Linux · 203\.0\.113\.x · last seen just now this device Signed in /);
    expect(there.text).toMatch(/^Firefox on Windows · 198\.51\.100\.x · last seen just now Signed in /);
    // Firefox's own page says the same the other way round.
    const fromFirefox = sessionsOf((await page(firefox, '/account')).html);
    expect(fromFirefox.find((s) => s.text.includes('this device'))!.text).toMatch(/^Firefox on Windows · 198\.51\.100\.x/);
    expect(fromFirefox.find((s) => !s.text.includes('this device'))!.text).toMatch(/^Chrome on Linux · 203\.0\.113\.x/);

    // Stored: names and the coarse network only, never the address or the User-Agent header.
    const rows = await rowsOf('two-browsers');
    expect(rows.map((r: { browser: string; os: string; network: string }) => `${r.browser}/${r.os}/${r.network}`).sort()).toEqual(['Chrome/Linux/203.0.113.x', 'Firefox/Windows/198.51.100.x']);
    expect(JSON.stringify(rows)).not.toMatch(/203\.0\.113\.7|198\.51\.100\.20|Mozilla/);

    const ended = await post(chrome, html, `/account/sessions/${there.id}/end`, {});
    expect(ended.html).toContain('The session was ended.');
    expect(sessionsOf(ended.html).map((s) => s.text.slice(0, 15))).toEqual(['Chrome on Linux']);
    expect((await rowsOf('two-browsers')).map((r: { browser: string }) => r.browser)).toEqual(['Chrome']);
    expect((await page(firefox, '/account')).html).toContain('name="password"');

    // A logout at the provider ends the session: its record goes too.
    const { response } = await chrome.follow('/session/end?client_id=account-console');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(await response.text())![1]!;
    await chrome.submit('/session/end/confirm', { xsrf, logout: 'yes' });
    expect(await rowsOf('two-browsers')).toEqual([]);
  });
});
