// The viewer as a user drives it, in both forms: served under a sub-path and the single
// offline file over file://. Every test also checks that no request left the page.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import {
  launch, serve, open, choose, waitIdle, downloadSummary, downloadText, foreignRequests,
  expected, generated, generatedFile, counts, assertMatches, FORMS, DATA,
} from './harness.mjs';

let browser;
let server;
before(async () => {
  browser = await launch();
  server = await serve();
});
after(async () => {
  await browser?.close();
  server?.server.close();
  for (const file of temporary) fs.rmSync(file, { force: true });
});

/** Files written for a test, in the system's temp folder; removed when the tests end. */
const temporary = [];
function tempFile(name, content) {
  const file = path.join(os.tmpdir(), `sspr-${process.pid}-${name}`);
  fs.writeFileSync(file, content);
  temporary.push(file);
  return file;
}

/** A 63 MB reset report: long enough to Cancel or Remove all while it is read. */
let big;
function bigFile() {
  const row = 'someone@contoso.com,User,7/17/2017 6:05:35 PM,Alternate Email,Succeeded,User successfully reset password\n';
  big ??= tempFile('big.csv', 'User,Role,Date and Time,Method(s) Used,Result,Details\n' + row.repeat(600_000));
  return big;
}

/** The page's performance marks and measures named `name` (the app records them). */
const entries = (ctx, name) => ctx.frame.evaluate((n) => performance.getEntriesByName(n).length, name);

/** Two workers read a large file when the machine has two cores (the page checks). */
async function assertReadInTwoParts(ctx) {
  if (await ctx.frame.evaluate(() => navigator.hardwareConcurrency >= 2)) {
    assert.equal(await entries(ctx, 'sspr:back worker memory'), 1, 'a back worker read part of the file');
  }
}

/** Opens the page, runs `body`, then checks for page errors, dialogs and foreign requests. */
async function withPage(form, body, options) {
  const ctx = await open(browser, form, server, options);
  try {
    await body(ctx);
    assert.deepEqual(ctx.errors, [], 'page errors');
    assert.deepEqual(ctx.dialogs, [], 'dialogs');
    assert.deepEqual(foreignRequests(ctx, form, server), [], 'requests beyond the page itself');
  } finally {
    await ctx.context.close();
  }
}

for (const form of FORMS) {
  describe(`${form} page`, () => {
    test('the sample report loads and every answer shows', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await f.locator('#sample').click();
      await waitIdle(ctx);
      for (const id of ['#q-registered', '#q-who', '#q-data', '#q-reset-7d', '#q-methods', '#q-issues', '#q-admins', '#q-suspicious']) {
        await f.locator(id).waitFor();
      }
      assert.match(await f.locator('#answer-registered').innerText(), /people have registered/);
      assert.equal(await f.locator('#file-table tbody tr').count(), 2);
      assert.ok(await f.locator('#suspicious-table tr[data-rule="burst"]').count() >= 1);
      assert.equal(await f.locator('#q-suspicious nav.pager').isVisible(), false, 'every finding fits on one page: no pager');
      assert.ok(await f.locator('#chart-days svg rect').count() > 10);
      const summary = await downloadSummary(ctx);
      assertMatches(assert, summary, expected('sample'));
    }));

    test('files chosen through the file input give a summary with the numbers the data was built with', () => withPage(form, async (ctx) => {
      // Re-saved by Excel in Dutch: semicolons, day-first dates, Windows-1252.
      await choose(ctx, generated('nl'));
      assert.equal(await entries(ctx, 'sspr:worker read'), 2, 'each file was read in a worker');
      assert.ok(ctx.workers.every((u) => u.startsWith('blob:')), ctx.workers.join());
      assert.match(await ctx.frame.locator('#file-table').innerText(), /day first/);
      assertMatches(assert, await downloadSummary(ctx), expected('nl'));
    }));

    test('Unicode Text from Excel in Traditional Chinese reads the same', () => withPage(form, async (ctx) => {
      await choose(ctx, generated('zh'));
      assertMatches(assert, await downloadSummary(ctx), expected('zh'));
    }));

    test('"show rows" filters the rows behind an answer', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await f.locator('#sample').click();
      await waitIdle(ctx);
      const want = expected('sample');
      await f.locator('#q-reset-7d .show-rows').click();
      const recent = await f.locator('#row-count').innerText();
      const resetsInWindow = Number((await f.locator('#q-reset-7d').innerText()).match(/\(([\d,]+) successful resets?/)[1].replace(/,/g, ''));
      assert.match(recent, new RegExp(`^${resetsInWindow.toLocaleString('en-US')} rows?`));
      await f.locator('#filter-clear').click();
      await f.locator('#filter-user').fill(want.admins_self_resetting[0][0].toUpperCase());
      await f.locator('#filter-result').selectOption('succeeded');
      assert.match(await f.locator('#row-count').innerText(), new RegExp(`^${want.admins_self_resetting[0][2]} rows`));
      await f.locator('#rows-table tbody tr:not(.spacer)').first().click();
      assert.match(await f.locator('#row-detail').innerText(), /Global Administrator/);
    }));


    test('findings beyond a hundred come a page at a time, and each page\'s "show rows" shows its own', () => withPage(form, async (ctx) => {
      // 150 users, each with six attempts within the hour: 150 findings of one rule.
      const lines = ['User,Role,Date and Time,Method(s) Used,Result,Details'];
      for (let u = 0; u < 150; u++) {
        for (let k = 0; k < 6; k++) {
          lines.push(`burst${String(u).padStart(3, '0')}@contoso.com,User,7/17/2017 ${1 + (u % 9)}:${String(10 + k).padStart(2, '0')}:00 PM,Mobile Phone,Abandoned,User abandoned before selecting a new password`);
        }
      }
      const f = ctx.frame;
      await choose(ctx, tempFile('bursts.csv', lines.join('\n') + '\n'));
      assert.match(await f.locator('#q-suspicious').innerText(), /150 findings to look at/);
      // Only reset attempts: the registered users and their data say why they are empty.
      assert.match(await f.locator('#q-who').innerText(), /Nothing to show/);
      assert.match(await f.locator('#q-data').innerText(), /Nothing to show/);
      const rows = f.locator('#suspicious-table tbody tr');
      assert.equal(await rows.count(), 50);
      const pager = f.locator('#q-suspicious nav.pager');
      assert.ok(await pager.isVisible());
      assert.match(await pager.innerText(), /Rows 1–50 of 150/);
      await pager.getByRole('button', { name: 'Next' }).click();
      assert.match(await pager.innerText(), /Rows 51–100 of 150/);
      assert.equal(await rows.count(), 50);
      const user = await rows.first().locator('td').nth(1).innerText();
      assert.doesNotMatch(await f.locator('#suspicious-table').innerText(), /burst000@/, 'the first page is gone');
      await rows.first().locator('.show-rows').click();
      assert.match(await f.locator('#row-count').innerText(), /^6 rows/);
      const users = await f.locator('#rows-table tbody tr:not(.spacer) td:nth-child(2)').allInnerTexts();
      assert.deepEqual([...new Set(users)], [user]);
    }));
    test('a file dropped on the drop zone loads', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      const text = fs.readFileSync(path.join(DATA, 'bad-rows.csv'), 'utf8');
      const drop = await f.locator('.dropzone').evaluateHandle((zone, text) => {
        const data = new DataTransfer();
        data.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }, text);
      await drop.dispose();
      await f.locator('#file-table td.file', { hasText: 'dropped.csv' }).waitFor();
      await waitIdle(ctx);
      assert.match(await f.locator('#file-table').innerText(), /dropped\.csv/);
    }));

        test('the rows table keeps only the visible rows in the page and scrolls to the last', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await f.locator('#sample').click();
      await waitIdle(ctx);
      const total = Number((await f.locator('#row-count').innerText()).match(/^([\d,]+)/)[1].replace(/,/g, ''));
      assert.ok(total > 1000, `${total} rows`);
      const drawn = await f.locator('#rows-table tbody tr:not(.spacer)').count();
      // At the top: the 20 rows in view and 15 below them.
      assert.ok(drawn <= 35, `${drawn} rows in the page for ${total}`);
      await f.locator('.virtual').evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
      await f.locator('#rows-table tbody tr:not(.spacer)').last().waitFor();
      // Sorted by time, the last row is the data's last event.
      const cells = await f.locator('#rows-table tbody tr:not(.spacer)').last().locator('td').first().innerText();
      assert.equal(cells, '2017-07-17 17:38:00');
    }));

    test('the page warms up out of sight: nothing of the sample shows, and the first file is its own', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await f.locator('html[data-warm="done"]').waitFor({ timeout: 15000 });
      assert.match(await f.locator('#results').innerText(), /No report loaded yet/);
      assert.equal(await f.locator('#file-table, #rows, #answer-attempts').count(), 0);
      await choose(ctx, [generatedFile('zh', 'password-reset-activity-excel-zh-tw.csv')]);
      assert.equal(await f.locator('#file-table tbody tr').count(), 1);
      assert.equal(await f.locator('#rows').count(), 1);
    }));

    test('warmed spare workers are ready before the first file, and workers do not pile up', () => withPage(form, async (ctx) => {
      await ctx.frame.locator('html[data-worker="ready"]').waitFor({ timeout: 15000 });
      assert.equal(ctx.page.workers().length, 2, 'two spare workers, one of them warmed');
      await choose(ctx, generated('sample'));
      await choose(ctx, generated('zh'));
      // Each file's worker ends with its job (its close event may come a little later);
      // two spares are made again for the next file.
      const settled = async () => {
        for (let i = 0; i < 50 && ctx.page.workers().length !== 2; i++) await ctx.page.waitForTimeout(100);
        return ctx.page.workers().length;
      };
      assert.equal(await settled(), 2, ctx.page.workers().map((w) => w.url()).join());
      await ctx.page.waitForTimeout(600);
      assert.equal(await settled(), 2, 'still two once the spares were made again');
      assert.equal(await ctx.frame.locator('#file-table tbody tr').count(), 4);
    }));

    test('a large file is read by two workers and reads as one: rows, lines and problems', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await ctx.frame.locator('html[data-worker="ready"]').waitFor({ timeout: 15000 });
      const lines = ['User,Role,Date and Time,Method(s) Used,Result,Details'];
      for (let k = 2; k <= 30_001; k++) {
        const date = k === 100 || k === 25_000 ? 'not a date' : `7/${1 + (k % 28)}/2017 6:05:35 PM`;
        // A quoted field with a line break now and then, so the cut may fall inside one.
        const detail = k % 997 === 0 ? '"User successfully reset password,\nwith a note"' : 'User successfully reset password';
        lines.push(`u${k}@contoso.com,User,${date},Alternate Email,Succeeded,${detail}`);
        if (k % 997 === 0) k++;
      }
      const file = tempFile('split.csv', lines.join('\r\n') + '\r\n');
      assert.ok(fs.statSync(file).size > 2 * 1024 * 1024, 'large enough to be read in two parts');
      await choose(ctx, [file]);
      await assertReadInTwoParts(ctx);
      const table = await f.locator('#file-table').innerText();
      assert.match(table, /line 100, column 3 \(Date and Time\)/);
      assert.match(table, /line 25000, column 3 \(Date and Time\)/);
      const summary = await downloadSummary(ctx);
      assert.equal(summary.sources[0].skipped_rows, 2);
      assert.equal(summary.sources[0].rows, lines.length - 1 - 2);
      assert.equal(summary.events_total, lines.length - 1 - 2);
    }));

    test('a large file whose back is Windows-1252 is read again as such, whole', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await ctx.frame.locator('html[data-worker="ready"]').waitFor({ timeout: 15000 });
      const row = (k) => `u${k}@contoso.com,User,7/17/2017 6:05:35 PM,Alternate Email,Succeeded,User successfully reset password\r\n`;
      const parts = ['User,Role,Date and Time,Method(s) Used,Result,Details\r\n'];
      for (let k = 0; k < 25_000; k++) parts.push(row(k));
      const ascii = Buffer.from(parts.join(''), 'latin1');
      // zoë and Användare in Windows-1252, near the end: only the back worker sees them.
      const tail = Buffer.from('zo\xeb@contoso.com,Anv\xe4ndare,7/17/2017 6:06:35 PM,Alternate Email,Succeeded,User successfully reset password\r\n', 'latin1');
      const file = tempFile('1252.csv', Buffer.concat([ascii, tail]));
      assert.ok(fs.statSync(file).size > 2 * 1024 * 1024);
      await choose(ctx, [file]);
      await assertReadInTwoParts(ctx);
      assert.match(await f.locator('#file-table').innerText(), /Windows-1252/);
      const summary = await downloadSummary(ctx);
      assert.equal(summary.sources[0].rows, 25_001);
      assert.equal(summary.sources[0].skipped_rows, 0);
      await f.locator('#filter-user').fill('zoë');
      await f.locator('#row-count').filter({ hasText: /^1 row/ }).waitFor();
    }));

    test('with more rows than the table can be tall, the row in view is the one the status names', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      // 400,000 rows, one minute apart, oldest first: row k (time order) is user u{k}.
      const start = Date.UTC(2017, 0, 1);
      const parts = ['User,Role,Date and Time,Method(s) Used,Result,Details\n'];
      for (let k = 0; k < 400_000; k++) {
        const d = new Date(start + k * 60_000);
        const h = d.getUTCHours();
        const date = `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${(h + 11) % 12 + 1}:${String(d.getUTCMinutes()).padStart(2, '0')}:00 ${h < 12 ? 'AM' : 'PM'}`;
        parts.push(`u${k}@contoso.com,User,${date},Email,Succeeded,User successfully reset password\n`);
      }
      await choose(ctx, [tempFile('tall.csv', parts.join(''))]);
      const viewport = f.locator('.virtual');
      await viewport.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      // Pixels of scroll per row, from the table's height at the top.
      const pitch = await viewport.evaluate((el) => (el.scrollHeight - el.querySelector('thead').offsetHeight) / 400_000);
      assert.ok(pitch < 30, `rows are compressed: ${pitch} px per row`);
      for (const row of [120_000, 308_000]) {
        await viewport.evaluate((el, top) => { el.scrollTop = top; el.dispatchEvent(new Event('scroll')); }, row * pitch);
        await ctx.page.waitForTimeout(100);
        const status = await f.locator('#page-status').innerText();
        const first = Number(status.match(/Rows ([\d,]+)/)[1].replace(/,/g, ''));
        assert.equal(first, row + 1, status);
        // The row just below where the table starts in view.
        const user = await viewport.evaluate((el) => {
          const top = el.getBoundingClientRect().top + el.querySelector('thead').offsetHeight;
          const cell = document.elementFromPoint(el.getBoundingClientRect().left + 200, top + 1);
          return cell?.closest('tr')?.querySelectorAll('td')[1]?.textContent;
        });
        assert.equal(user, `u${row}@contoso.com`, status);
      }
      // The rows download is written a slice at a time (the button says how far), and
      // holds every row, in the table's order.
      await f.locator('#download-rows').evaluate((button) => {
        window.__labels = [];
        new MutationObserver(() => window.__labels.push(button.textContent)).observe(button, { subtree: true, characterData: true, childList: true });
      });
      const csv = (await downloadText(ctx, '#download-rows')).split('\n');
      const labels = await f.locator('#download-rows').evaluate(() => window.__labels);
      assert.ok(labels.some((l) => /^Writing rows… \d+%$/.test(l)), labels.join(' | '));
      assert.equal(await f.locator('#download-rows').innerText(), 'Download rows (CSV)');
      assert.equal(csv.length, 400_002, 'the header, every row and the last line break');
      assert.equal(csv.at(-1), '');
      assert.match(csv[1], /^2017-01-01T00:00:00Z,u0@contoso\.com,User,reset,/);
      assert.match(csv.at(-2), /,u399999@contoso\.com,User,reset,Email,succeeded,User successfully reset password,[^,]*tall\.csv,400001$/);
      // "As of" the end of the first day: with this many events the answers are worked
      // out in slices, the results busy meanwhile; then those of the first 1,440 minutes.
      const attempts = f.locator('#answer-attempts');
      assert.match(await attempts.innerText(), /400,000 reset attempts in all, 400,000 succeeded/);
      await f.locator('#as-of-mode').selectOption('day');
      await f.locator('#as-of-day').fill('2017-01-01');
      await f.locator('#as-of-day').dispatchEvent('change');
      await f.locator('#answer-attempts', { hasText: /^1,440 reset attempts/ }).waitFor();
      await waitIdle(ctx);
      assert.match(await attempts.innerText(), /1,440 reset attempts in all, 1,440 succeeded/);
      await f.locator('#as-of-mode').selectOption('latest');
      await f.locator('#answer-attempts', { hasText: /^400,000 reset attempts/ }).waitFor();
      await waitIdle(ctx);
      assert.match(await attempts.innerText(), /400,000 reset attempts in all, 400,000 succeeded/);
      // Removing a file from this many events: the answers for the rest are worked out in
      // slices, none shown meanwhile (their row numbers moved), then those of the rest.
      await choose(ctx, [path.join(DATA, 'xss.csv')]);
      assert.match(await attempts.innerText(), /400,003 reset attempts in all, 400,001 succeeded/);
      await f.locator('section.answers').evaluate((el) => {
        window.__pending = false;
        new MutationObserver(() => { window.__pending ||= el.textContent.includes('Working out the answers'); })
          .observe(el, { subtree: true, childList: true, characterData: true });
      });
      await f.locator('#file-table tbody tr', { hasText: 'xss.csv' }).getByRole('button', { name: /remove/i }).click();
      await f.locator('#answer-attempts', { hasText: /^400,000 reset attempts/ }).waitFor();
      await waitIdle(ctx);
      assert.ok(await f.locator('section.answers').evaluate(() => window.__pending), 'the answers were worked out after the removal, not at once');
      assert.match(await attempts.innerText(), /400,000 reset attempts in all, 400,000 succeeded/);
      assert.equal(await f.locator('#file-table tbody tr').count(), 1);
      assert.match(await f.locator('#row-count').innerText(), /^400,000 rows/);
    }));

    test('Cancel stops reading a large file and keeps what was loaded', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await choose(ctx, generated('sample'));
      await f.locator('#file-input').setInputFiles(bigFile());
      await f.locator('.job button').click();
      await waitIdle(ctx);
      assert.equal(await f.locator('.job').count(), 0);
      assert.equal(await f.locator('#file-table tbody tr').count(), 2, 'the cancelled file was not added');
      assertMatches(assert, await downloadSummary(ctx), expected('sample'));
    }));

    test('markup in a cell shows as text and never runs', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await choose(ctx, [path.join(DATA, 'xss.csv')]);
      const rows = await f.locator('#rows-table').innerText();
      assert.ok(rows.includes('<img src=x onerror=alert(1)>'), 'the cell text is shown literally');
      assert.ok(rows.includes('<script>alert(2)</script>@contoso.com'));
      assert.equal(await f.locator('#rows-table img, #rows-table script, #rows-table b').count(), 0);
      const csv = await downloadText(ctx, '#download-rows');
      assert.match(csv, /"'=hyperlink\(/i, 'formula cells are defused in the CSV download');
      assert.doesNotMatch(csv, /(^|,)"?=hyperlink/im, 'no cell starts with =');
    }));

    test('a broken file gets a message and earlier files stay loaded', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await choose(ctx, generated('sample'));
      await choose(ctx, [path.join(DATA, 'broken.json')]);
      const error = await f.locator('.error').innerText();
      assert.match(error, /broken\.json/);
      assert.match(error, /not valid JSON: at line 3, column \d+/);
      assert.equal(await f.locator('#file-table tbody tr').count(), 2);
      assertMatches(assert, await downloadSummary(ctx), expected('sample'));
    }));

    test('removing a file drops a "show rows" filter (its row numbers have moved); Remove all also stops files being read', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await choose(ctx, generated('sample'));
      await f.locator('#q-reset-7d .show-rows').click();
      assert.equal(await f.locator('#rows-chip').count(), 1);
      await f.locator('#file-table button', { hasText: 'Remove' }).first().click();
      assert.equal(await f.locator('#rows-chip').count(), 0);
      assert.equal(await f.locator('#file-table tbody tr').count(), 1);
      await f.locator('#file-input').setInputFiles(bigFile());
      await f.locator('.job').waitFor();
      await f.locator('button', { hasText: 'Remove all' }).click();
      await waitIdle(ctx);
      assert.equal(await f.locator('.job').count(), 0);
      await ctx.page.waitForTimeout(300);
      assert.equal(await f.locator('#file-table tbody tr').count(), 0, 'nothing came back after Remove all');
    }));

    test('a file without any date still shows its rows, charts and filters', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      // Registration details without the optional "Last Updated Time": nothing to compute
      // answers as of, but every part of the results is drawn.
      await choose(ctx, tempFile('no-dates.csv', 'User principal name,SSPR Registered,Methods registered,Admin\n'
        + 'alice@contoso.com,Registered,Email,No\nbob@contoso.com,Not Registered,,No\n'));
      assert.match(await f.locator('#row-count').innerText(), /^2 rows match/);
      assert.equal(await f.locator('#rows-table tbody tr:not(.spacer)').count(), 2);
      assert.match(await f.locator('#page-status').innerText(), /1–2 of 2/);
      await f.locator('#charts-heading').waitFor();
    }));

    test('events over more than 400 days: the coverage strip says which it leaves out', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      const row = (user, day) => `${user},User,${day} 10:00:00 AM,Email,Succeeded,User successfully reset password\n`;
      await choose(ctx, tempFile('long.csv', 'User,Role,Date and Time,Method(s) Used,Result,Details\n'
        + row('a@contoso.com', '1/20/2024') + row('b@contoso.com', '6/15/2025')));
      assert.match(await f.locator('#coverage-text').innerText(), /over 400 days from 2024-05-12/);
      assert.equal(await f.locator('#coverage-cut').innerText(), 'Only the last 400 days are drawn; the earliest event is on 2024-01-20.');
    }));

    test('once the results are idle, tables far below the window are laid out too', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await choose(ctx, [generatedFile('sample', 'password-reset-activity.csv')]);
      // Laid out lazily while drawn; then all of it, so a capture of the whole page has them.
      await f.locator('#results:not([data-drawing])').waitFor();
      await f.locator('#load-heading').evaluate((e) => e.scrollIntoView());
      assert.match(await f.locator('#result-table').innerText(), /Succeeded/);
      assert.match(await f.locator('#charts-heading').innerText(), /Charts/);
    }));

    test('a reader scrolled down to the rows keeps them in view while another file is drawn', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await choose(ctx, [generatedFile('modern', 'entra-audit.csv')]);
      const rowsTop = () => f.locator('#rows').evaluate((e) => e.getBoundingClientRect().top);
      await f.locator('#rows').evaluate((e) => e.scrollIntoView());
      const before = await rowsTop();
      // The same events again: the results keep their height while they are drawn anew,
      // and the browser keeps the reader's place (to a fraction of a pixel).
      await choose(ctx, [generatedFile('modern', 'entra-audit.json')]);
      assert.equal(await f.locator('#file-table tbody tr').count(), 2);
      const top = await rowsTop();
      assert.ok(Math.abs(top - before) < 1, `the rows section moved from ${before} to ${top} px`);
    }));

    test('the column-mapping form keeps its choices while another unknown file arrives', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await choose(ctx, [path.join(DATA, 'not-a-report.csv')]);
      await f.locator('#mapping select[data-role="2"]').selectOption('1');
      const copy = tempFile('unknown.csv', fs.readFileSync(path.join(DATA, 'not-a-report.csv')));
      await choose(ctx, [copy]);
      assert.match(await f.locator('#mapping').innerText(), /not-a-report\.csv/);
      assert.equal(await f.locator('#mapping select[data-role="2"]').inputValue(), '1');
    }));

    test('an unknown header leads to the column-mapping step', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await choose(ctx, [path.join(DATA, 'not-a-report.csv')]);
      const dialog = f.locator('#mapping');
      await dialog.waitFor();
      assert.match(await dialog.innerText(), /not-a-report\.csv/);
      // The Spanish headers were guessed: Fecha (UTC) is the time, Actividad the activity.
      assert.equal(await f.locator('#mapping select[data-role="0"]').inputValue(), '0');
      assert.equal(await f.locator('#mapping select[data-role="2"]').inputValue(), '3');
      assert.match(await f.locator('#mapping-preview').innerText(), /Reset password \(self-service\)/);
      await f.locator('#mapping-load').click();
      await f.locator('#mapping').waitFor({ state: 'detached' });
      assert.match(await f.locator('#file-table').innerText(), /CSV read with your column mapping/);
      const summary = await downloadSummary(ctx);
      assert.equal(summary.sources[0].format, 'mapped-csv');
      assert.equal(summary.events_total, 1);
    }));

    test('unreadable rows are counted and shown with line and column', () => withPage(form, async (ctx) => {
      const f = ctx.frame;
      await choose(ctx, [path.join(DATA, 'bad-rows.csv')]);
      const table = await f.locator('#file-table').innerText();
      assert.match(table, /line 3, column 3 \(Date and Time\)/);
      assert.match(table, /line 4, column 5 \(Result\): unknown result “Exploded”/);
      const summary = await downloadSummary(ctx);
      assert.equal(summary.sources[0].rows, 3);
      assert.equal(summary.sources[0].skipped_rows, 4);
    }));
  });
}

/** Each modern format through the file input, against the answers its data was built with. */
const AUDIT_FORMATS = [
  ['Entra audit-log CSV', ['entra-audit.csv'], 'entra-audit-csv'],
  ['Entra audit-log JSON', ['entra-audit.json'], 'entra-audit-json'],
  ['Graph directoryAudits pages', ['graph-directoryAudits-page1.json', 'graph-directoryAudits-page2.json', 'graph-directoryAudits-page3.json'], 'graph-directory-audits'],
  ['Log Analytics AuditLogs CSV', ['log-analytics-auditlogs.csv'], 'log-analytics-auditlogs-csv'],
  ['diagnostic-settings archive', ['diagnostic-archive-PT1H.json'], 'diagnostic-settings-archive'],
  ['Event Hub capture, one object per line', ['event-hub-capture.json'], 'diagnostic-settings-archive'],
];

for (const form of FORMS) {
  describe(`${form} page, today's exports`, () => {
    for (const [name, files, format] of AUDIT_FORMATS) {
      test(`${name} gives the known answers`, () => withPage(form, async (ctx) => {
        await choose(ctx, files.map((f) => generatedFile('modern', f)));
        const summary = await downloadSummary(ctx);
        assert.ok(summary.sources.every((s) => s.format === format), summary.sources.map((s) => s.format).join());
        assert.equal(summary.events_total, counts().audit_events);
        assertMatches(assert, summary, expected('modern', 'expected-audit.json'));
      }));
    }

    test('three formats of one scenario together count nothing twice', () => withPage(form, async (ctx) => {
      await choose(ctx, ['entra-audit.csv', 'entra-audit.json', 'log-analytics-auditlogs.csv'].map((f) => generatedFile('modern', f)));
      const summary = await downloadSummary(ctx);
      assert.equal(summary.events_total, counts().audit_events);
      assert.equal(summary.sources[1].duplicate_rows, summary.sources[1].rows);
      assert.equal(summary.sources[2].duplicate_rows, summary.sources[2].rows);
      assertMatches(assert, summary, expected('modern', 'expected-audit.json'));
      // Sessions, the funnel and the activity filter show.
      const f = ctx.frame;
      assert.equal(await f.locator('#sessions-table tbody tr').count(), 50);
      assert.match(await f.locator('#funnel').innerText(), /user ID submitted/);
            await f.locator('#activity-filter label', { hasText: 'Register device' }).locator('input').check();
      assert.match(await f.locator('#row-count').innerText(), /^\d+ rows? match/);
      // An audit row's detail shows its audit fields.
      await f.locator('#rows-table tbody tr:not(.spacer)').first().click();
      const detail = await f.locator('#row-detail').innerText();
      for (const field of ['Register device', 'CorrelationId', 'Initiated by', 'IP address', 'other: not in the answers']) {
        assert.ok(detail.includes(field), `row detail shows ${field}`);
      }
    }));

    test('registration details tell who the admins are', () => withPage(form, async (ctx) => {
      await choose(ctx, ['entra-audit.json', 'user-registration-details.json'].map((f) => generatedFile('modern', f)));
      assertMatches(assert, await downloadSummary(ctx), expected('modern', 'expected-audit-details.json'));
    }));

    test('registration and reset events read like the classic reports', () => withPage(form, async (ctx) => {
      await choose(ctx, [generatedFile('modern', 'registration-and-reset-events.csv')]);
      assertMatches(assert, await downloadSummary(ctx), expected('modern', 'expected-usage.json'));
    }));
  });
}

test('embedded in a portal iframe under a sub-path', () => withPage('served', async (ctx) => {
  await ctx.frame.locator('#sample').click();
  await waitIdle(ctx);
  await ctx.frame.locator('#q-suspicious').waitFor();
}, { portal: true }));
