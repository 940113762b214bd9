// The browser half of `make bench`: file → answers in the served page for a 75,000-row
// classic report and a 1,000,000-event audit CSV, next to Papa Parse parsing the same
// file to arrays in the same browser; filter-change time; memory; long tasks; first paint
// of the offline file; bundle sizes. Each input is loaded several times, each time in a
// fresh page: file → answers and Papa Parse are medians (every load is listed), memory,
// RSS and the longest task the worst load's. Prints figures and appends them, with the
// native figures, to benches/RESULTS.md. Asserts nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execSync } from 'node:child_process';
import { launch, serve, DIST, OFFLINE_FILE, ROOT } from '../tests/browser/harness.mjs';

const dir = path.resolve(process.argv[2] ?? 'target/bench');
// [name, file, loads]: a run varies with the machine (a virtual one varies a lot), so
// each input is loaded several times, each in a fresh page, and Papa Parse parses it as
// often, in turn.
const INPUTS = [
  ['classic 75,000 rows', path.join(dir, 'classic-75k-reset-activity.csv'), 5],
  ['audit CSV 1,000,000 events', path.join(dir, 'entra-audit-1m.csv'), 3],
];
const out = [];
const say = (line = '') => { console.log(line); out.push(line); };
const ms = (x) => `${Math.round(x).toLocaleString('en-US')} ms`;
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Total resident memory of Chromium's processes, in bytes. */
function chromiumRss() {
  try {
    const text = execSync("ps -C chromium -o rss= 2>/dev/null || true", { encoding: 'utf8' });
    return text.split('\n').map(Number).filter((n) => n > 0).reduce((a, b) => a + b, 0) * 1024;
  } catch {
    return 0;
  }
}

const browser = await launch(['--enable-precise-memory-info']);
const server = await serve();
const version = browser.version();

say(`## ${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${mb(os.totalmem())} RAM, Chromium ${version}`);
say();

// Bundle sizes.
let rawTotal = 0;
let gzTotal = 0;
const assets = fs.readdirSync(DIST).filter((f) => /\.(wasm|js|css)$/.test(f));
say('Bundle (wasm + JS + CSS):');
for (const f of assets) {
  const bytes = fs.readFileSync(path.join(DIST, f));
  const gz = zlib.gzipSync(bytes, { level: 9 }).length;
  rawTotal += bytes.length;
  gzTotal += gz;
  say(`- ${f.replace(/-[0-9a-f]{12,16}(?=[._])/, '')}: ${(bytes.length / 1024).toFixed(0)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped`);
}
say(`- total: ${(rawTotal / 1024).toFixed(0)} KB raw, **${(gzTotal / 1024).toFixed(1)} KB gzipped**; offline file ${(fs.statSync(OFFLINE_FILE).size / 1024).toFixed(0)} KB`);
say();

// First paint of the offline file.
const paints = [];
for (let i = 0; i < 5; i++) {
  const page = await browser.newPage();
  // Headless Chromium records no paint entries: the first frame after the app's first
  // render (its sample button in the page) is what is measured, in the page. The test
  // driver sees the button later when the page is busy (its warm-up starts when idle).
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('#sample')) {
        observer.disconnect();
        requestAnimationFrame(() => { window.__painted = performance.now(); });
      }
    }).observe(document, { subtree: true, childList: true });
  });
  await page.goto('file://' + OFFLINE_FILE);
  await page.locator('#sample').waitFor();
  const seen = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => window.__painted);
  paints.push({ painted: await page.evaluate(() => window.__painted), seen });
  await page.close();
}
say(`Offline file over file://: first frame with the app (its sample button) ${ms(median(paints.map((p) => p.painted)))} after navigation; the test driver saw the button at ${ms(median(paints.map((p) => p.seen)))} (medians of 5)`);
say();

/** Loads `file` once in a fresh page, as a user does; figures of that load. */
async function load(file) {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask', buffered: true });
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
    // File → answers, timed in the page as Papa Parse is: from the file input's change
    // event to the first frame after the answers are in the page and the results idle.
    document.addEventListener('change', () => { window.__chosen ??= performance.now(); }, true);
    const shown = new MutationObserver(() => {
      if (window.__chosen !== undefined && document.querySelector('#answer-attempts') && document.querySelector('#results[aria-busy="false"]')) {
        shown.disconnect();
        requestAnimationFrame(() => setTimeout(() => { window.__answered = performance.now() - window.__chosen; }));
      }
    });
    addEventListener('DOMContentLoaded', () => shown.observe(document.body, { subtree: true, childList: true, attributes: true }));
  });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.locator('#file-input').waitFor();
  // A user takes a moment to choose a file; by then the page has its spare worker warm,
  // and has drawn the sample out of sight (whose measures and tasks are not the file's).
  await page.locator('html[data-worker="ready"]').waitFor({ timeout: 30_000 });
  await page.locator('html[data-warm="done"]').waitFor({ timeout: 30_000 });
  await page.evaluate(() => { window.__longTasks = []; performance.clearMeasures(); });
  let peak = chromiumRss();
  const sampler = setInterval(() => { peak = Math.max(peak, chromiumRss()); }, 100);
  const t0 = performance.now();
  await page.locator('#file-input').setInputFiles(file);
  await page.locator('#answer-attempts').waitFor({ timeout: 300_000 });
  await page.locator('#results[aria-busy="false"]').waitFor({ timeout: 300_000 });
  const driverTime = performance.now() - t0;
  await page.waitForFunction(() => window.__answered !== undefined);
  const toAnswers = await page.evaluate(() => window.__answered);
  clearInterval(sampler);
  peak = Math.max(peak, chromiumRss());
  const longest = Math.max(0, ...(await page.evaluate(() => window.__longTasks)));
  const memory = await page.evaluate(() => ({
    page: (performance.memory?.usedJSHeapSize ?? 0) + (window.__wasm?.memory?.buffer.byteLength ?? 0),
    // Wasm memory only grows, so a worker's size when it sent its rows is its peak. A
    // large file is read by two workers at once: both count.
    worker: ['sspr:worker memory', 'sspr:back worker memory']
      .map((name) => Math.max(0, ...performance.getEntriesByName(name).map((m) => m.detail)))
      .reduce((a, b) => a + b, 0),
  }));
  const phases = await page.evaluate(() => {
    const total = {};
    for (const m of performance.getEntriesByType('measure').filter((m) => m.name.startsWith('sspr:'))) {
      total[m.name.slice(5)] = (total[m.name.slice(5)] ?? 0) + m.duration;
    }
    return total;
  });
  const filter = [];
  for (const value of ['failed', 'succeeded', '', 'abandoned', '']) {
    filter.push(await page.evaluate((value) => new Promise((resolve) => {
      const select = document.querySelector('#filter-result');
      const t = performance.now();
      select.value = value;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      requestAnimationFrame(() => resolve(performance.now() - t));
    }), value));
  }
  await context.close();
  return { toAnswers, driverTime, longest, memory, peak, phases, filter };
}

/** Papa Parse on the same file, in the same browser, to arrays (chunk by chunk). */
async function papaParse(file) {
  const papaPage = await browser.newPage();
  await papaPage.setContent('<input type="file" id="f">');
  await papaPage.addScriptTag({ path: path.join(ROOT, 'node_modules/papaparse/papaparse.min.js') });
  await papaPage.locator('#f').setInputFiles(file);
  const papa = await papaPage.evaluate(() => new Promise((resolve) => {
    const file = document.querySelector('#f').files[0];
    const t = performance.now();
    let rows = 0;
    Papa.parse(file, { chunk: (r) => { rows += r.data.length; }, complete: () => resolve({ time: performance.now() - t, rows }) });
  }));
  await papaPage.close();
  return papa;
}

const phaseLines = [];
const trialLines = [];
say('| input | size | file → answers | Papa Parse to arrays | ratio | filter change | longest main-thread task while loading | JS heap + wasm memory: page after + workers’ peak | peak Chromium RSS (all processes) |');
say('|---|---|---|---|---|---|---|---|---|');
for (const [name, file, trials] of INPUTS) {
  if (!fs.existsSync(file)) {
    say(`| ${name} | missing: run sspr-gen --out ${dir} --bench-inputs | | | | | | | |`);
    continue;
  }
  const size = fs.statSync(file).size;
  const loads = [];
  const papas = [];
  for (let i = 0; i < trials; i++) {
    loads.push(await load(file));
    papas.push(await papaParse(file));
  }
  // The median load gives the phases; memory, RSS and the longest task are the worst seen.
  const byTime = [...loads].sort((a, b) => a.toAnswers - b.toAnswers);
  const mid = byTime[Math.floor(trials / 2)];
  const papaTime = median(papas.map((p) => p.time));
  const longest = Math.max(...loads.map((l) => l.longest));
  const memory = loads.reduce((m, l) => (l.memory.page + l.memory.worker > m.page + m.worker ? l.memory : m), loads[0].memory);
  const peak = Math.max(...loads.map((l) => l.peak));
  const filters = loads.flatMap((l) => l.filter);
  const of = trials > 1 ? ` (median of ${trials})` : '';
  say(`| ${name} | ${mb(size)} | **${ms(mid.toAnswers)}**${of} | ${ms(papaTime)}${of} (${papas[0].rows.toLocaleString('en-US')} rows) | **${(papaTime / mid.toAnswers).toFixed(1)}×** | ${ms(median(filters))} (median of ${filters.length}) | ${longest ? ms(longest) : 'none (the browser reports tasks of 50 ms or more)'} | **${mb(memory.page + memory.worker)}** (${mb(memory.page)} + ${mb(memory.worker)}) | ${mb(peak)} |`);
  if (trials > 1) {
    trialLines.push(`- ${name}: file → answers ${loads.map((l) => Math.round(l.toAnswers)).join(', ')} ms; Papa Parse ${papas.map((p) => Math.round(p.time)).join(', ')} ms`);
  }
  phaseLines.push(`- ${name} (the median load): ${ms(mid.driverTime)} as the test driver saw it (setInputFiles to answers found); ` + Object.entries(mid.phases).map(([k, v]) => `${k} ${ms(v)}`).join(', '));
}
say();
say('Each load, in order (each in a fresh page, Papa Parse after it):');
trialLines.forEach((l) => say(l));
say();
say('File → answers is timed in the page, as Papa Parse is: from the file input\'s change event to the first frame after the answers are in the page and the results idle.');
say();
say('Phases (User Timing measures, summed; `worker …` run in the parsing worker, the rest on the page):');
phaseLines.forEach((l) => say(l));
say();

await browser.close();
server.server.close();

const native = path.join(dir, 'native.txt');
const results = path.join(ROOT, 'benches', 'RESULTS.md');
const section = [
  ...out,
  ...(fs.existsSync(native) ? ['Native (`cargo bench --bench ingest`):', '', '```', fs.readFileSync(native, 'utf8').trim(), '```', ''] : []),
].join('\n');
const head = fs.existsSync(results) ? fs.readFileSync(results, 'utf8') : '';
const title = '# Benchmark results\n\nEach `make bench` run adds a section below the line; older runs stay.\n\n---\n';
const body = head.startsWith('# Benchmark results') ? head.slice(head.indexOf('---\n') + 4) : head;
fs.writeFileSync(results, `${title}\n${section}\n${body}`);
console.log(`\nappended to ${path.relative(process.cwd(), results)}`);
