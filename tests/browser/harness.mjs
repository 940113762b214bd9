// Shared by the browser tests: Debian's Chromium through playwright-core, a static
// server that puts dist/ under a sub-path, and request recording.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DIST = path.join(ROOT, 'dist');
export const DATA = path.join(ROOT, 'tests/data');
export const GENERATED = path.join(ROOT, 'target/browser-data');
export const OFFLINE_FILE = path.join(DIST, 'sspr-viewer.html');
/** The hosted page lives under a portal-like sub-path, never at the root. */
export const SUB_PATH = '/intranet/tools/sspr/';

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch(extra = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...ARGS, ...extra] });
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/** Serves dist/ at SUB_PATH, and a portal page at /intranet/ that embeds it in an iframe. */
export async function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/intranet/portal.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!DOCTYPE html><title>Portal</title><h1>Intranet portal</h1>
        <iframe id="tool" src="${SUB_PATH}" width="1200" height="900"></iframe>`);
      return;
    }
    if (!url.pathname.startsWith(SUB_PATH)) {
      res.writeHead(404).end();
      return;
    }
    const rel = url.pathname.slice(SUB_PATH.length) || 'index.html';
    const file = path.join(DIST, path.normalize(rel));
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { server, origin, url: origin + SUB_PATH, portal: origin + '/intranet/portal.html' };
}

/** The two ways the page is opened: served under a sub-path, and the single file over file://. */
export const FORMS = ['served', 'file'];

/**
 * Opens the page in a fresh context and records every request, page error and dialog.
 * `ctx.frame` is where the app runs (the page itself, or the iframe in the portal).
 */
export async function open(browser, form, server, { portal = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const ctx = { context, page, requests: [], errors: [], dialogs: [], workers: [] };
  page.on('request', (r) => ctx.requests.push(r.url()));
  page.on('worker', (w) => ctx.workers.push(w.url()));
  page.on('pageerror', (e) => ctx.errors.push(e.message));
  page.on('dialog', (d) => { ctx.dialogs.push(d.message()); d.dismiss(); });
  if (form === 'file') {
    await page.goto('file://' + OFFLINE_FILE);
  } else {
    await page.goto(portal ? server.portal : server.url);
  }
  ctx.frame = portal ? page.frameLocator('#tool') : page;
  await ctx.frame.locator('#sample').waitFor({ timeout: 15000 });
  return ctx;
}

/** Chooses files through the file input, as a user does, and waits until they are read. */
export async function choose(ctx, files) {
  await ctx.frame.locator('#file-input').setInputFiles(files);
  await waitIdle(ctx);
}

export async function waitIdle(ctx) {
  await ctx.frame.locator('#results[aria-busy="false"]').waitFor({ timeout: 20000 });
}

/**
 * Clicks "Download summary (JSON)" once the results are drawn (the page shows a file's
 * answers before the tables below them), and returns the parsed file.
 */
export async function downloadSummary(ctx) {
  await waitIdle(ctx);
  const button = ctx.frame.locator('#download-summary');
  await button.waitFor();
  if (await button.isDisabled()) throw new Error('summary download is disabled');
  const [download] = await Promise.all([ctx.page.waitForEvent('download'), button.click()]);
  return JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
}

export async function downloadText(ctx, selector) {
  const [download] = await Promise.all([ctx.page.waitForEvent('download'), ctx.frame.locator(selector).click()]);
  return fs.readFileSync(await download.path(), 'utf8');
}

/** Every request must be one of the page's own files: none at all beyond the file itself from file://. */
export function foreignRequests(ctx, form, server) {
  return ctx.requests.filter((url) => {
    if (url.startsWith('blob:') || url.startsWith('data:')) return false;
    if (form === 'file') return url !== 'file://' + OFFLINE_FILE;
    if (!url.startsWith(server.origin + '/intranet/')) return true;
    if (url === server.portal) return false;
    const rel = new URL(url).pathname.slice(SUB_PATH.length) || 'index.html';
    return !fs.existsSync(path.join(DIST, rel));
  });
}

export function expected(name, file = 'expected.json') {
  return JSON.parse(fs.readFileSync(path.join(GENERATED, name, file), 'utf8'));
}

export function generated(name) {
  const dir = path.join(GENERATED, name);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.csv') && !f.startsWith('expected')).map((f) => path.join(dir, f));
}

/** The summary's numbers against the answers the generator built the data with. */
export function assertMatches(assert, summary, want) {
  assert.equal(summary.schema, 'sspr-viewer.summary/1');
  assert.equal(Date.parse(summary.as_of), want.as_of);
  assert.equal(summary.reset_attempts, want.reset_attempts);
  assert.deepEqual(summary.results, want.results);
  assert.equal(summary.registered_users, want.registered_users);
  assert.deepEqual(summary.registered_user_list, want.registered_user_list);
  assert.deepEqual(summary.registered_data, want.registered_data);
  assert.equal(summary.reset_users_last_7_days, want.reset_users_last_7_days);
  assert.deepEqual(summary.reset_methods, want.reset_methods);
  assert.deepEqual(summary.issues.map((i) => [i.reason, i.result, i.count]), want.issues);
  assert.deepEqual(summary.admins_self_resetting.map((a) => [a.user, a.role, a.resets]), want.admins_self_resetting);
  const findings = summary.suspicious.map((s) => [s.rule, s.user, s.count]).sort();
  assert.deepEqual(findings, [...want.suspicious].sort());
  assert.equal(summary.admin_resets, want.admin_resets);
  assert.deepEqual(summary.events_by_service, want.events_by_service);
}

export function generatedFile(name, file) {
  return path.join(GENERATED, name, file);
}

export function counts() {
  return JSON.parse(fs.readFileSync(path.join(GENERATED, 'modern', 'counts.json'), 'utf8'));
}
