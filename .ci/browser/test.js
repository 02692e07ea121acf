#!/usr/bin/env node
// Proves a built zhiku site in a real browser: Debian's Chromium, driven by playwright-core.
//
//   node test.js OUT_DIR [PAGED_DIR]
//
// PAGED_DIR is a second site, built from enough articles that some of its lists run over several
// pages (the bundled five have none); its long lists are walked and its pages checked too.
//
// 1. The W3C Nu checker finds no error in any page.
// 2. From file:// and from a local HTTP server under /kb/: click home → domain → article →
//    person; search from the home page's box (鄂维南 from file://, 人工智能+ over HTTP); search
//    live on search.html; no console error, failed request or CSP refusal on any page.
//    A long list split over pages (in either site) is walked by clicking its pager: next, back
//    to page 1, the last page's number, previous or "first page", back to page 1 at the list's
//    own URL; a later page is named after its first item and says it continues the list.
// 3. The 404 page served for a missing URL two folders deep (as GitHub Pages does, at the
//    site's base_url) is styled and its links work.
// 4. axe-core finds no serious or critical violation on any page type.
// 5. With ZHIKU_BIN and ZHIKU_SERVE_CONTENT (raw articles enough for a paged domain) set:
//    `zhiku serve` on a copy of the articles; a domain's second page is open when all but three
//    of the articles are deleted, and it reloads as the domain's first page, not the 404 page.
// Prints one line per check, the bytes a first search loaded, then "N passed, M failed".

'use strict';

const fs = require('fs');
const path = require('path');
const http = require('http');
const os = require('os');
const { execFileSync, spawn } = require('child_process');
const { chromium } = require('playwright-core');

const OUT = path.resolve(process.argv[2] || '');
const PAGED = process.argv[3] ? path.resolve(process.argv[3]) : null;
if (!process.argv[2] || !fs.existsSync(path.join(OUT, 'index.html'))) {
  console.error('usage: node test.js OUT_DIR (a built site with index.html)');
  process.exit(2);
}
const HERE = __dirname;
const EXPLAINER = '六大领域八大支撑';
const results = [];

function check(name, ok, detail) {
  results.push({ name, ok: !!ok });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ' — ' + detail : ''}`);
  return !!ok;
}

async function step(name, fn) {
  try {
    const detail = await fn();
    return check(name, true, detail);
  } catch (err) {
    return check(name, false, String((err && err.message) || err).split('\n')[0]);
  }
}

// ---- the W3C Nu checker ----

function nuCheck(targets, what) {
  const jar = path.join(HERE, 'node_modules/vnu-jar/build/dist/vnu.jar');
  const name = `W3C Nu checker: no errors in ${what}`;
  try {
    execFileSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', ...targets], { stdio: 'pipe', maxBuffer: 1 << 26 });
    return check(name, true, `${targets.length === 1 ? 'the folder' : targets.length + ' files'}`);
  } catch (err) {
    const text = String(err.stderr || err.stdout || err.message);
    text.split('\n').filter(Boolean).slice(0, 20).forEach((l) => console.log('    ' + l));
    return check(name, false, `${text.split('\n').filter(Boolean).length} messages`);
  }
}

// ---- a server like GitHub Pages: the site under a sub-path, 404.html for what is missing ----

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png',
};

// The file for a URL path under `prefix`, or null (never outside OUT).
function fileFor(urlPath, prefix) {
  if (!urlPath.startsWith(prefix)) return null;
  let rel = decodeURIComponent(urlPath.slice(prefix.length));
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const file = path.resolve(OUT, rel);
  if (!file.startsWith(OUT + path.sep)) return null;
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
}

function respond(urlPath, prefix) {
  const file = fileFor(urlPath, prefix);
  if (file) return { status: 200, file };
  return { status: 404, file: path.join(OUT, '404.html') };
}

function startServer(prefix) {
  const server = http.createServer((req, res) => {
    const { status, file } = respond(new URL(req.url, 'http://x').pathname, prefix);
    res.writeHead(status, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---- pages ----

// Opens a page that records every console error, page error, failed request and HTTP error.
async function openPage(context, problems) {
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const where = () => decodeURIComponent(page.url());
  page.on('console', (m) => {
    // A page fetched for its 404 status logs that status, and Chromium asks every server for
    // /favicon.ico on its own; nothing else may be an error.
    const at = m.location().url || '';
    if (m.type() !== 'error' || (page.expect404 && at === page.expect404) || at.endsWith('/favicon.ico')) return;
    problems.push(`${where()}: console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`${where()}: page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`${where()}: failed to load ${r.url()}: ${r.failure() && r.failure().errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document') problems.push(`${where()}: HTTP ${r.status()} for ${r.url()}`);
  });
  return page;
}

// Clicks the first link whose href matches `pattern` (relative to the site) and waits for the page.
async function clickLink(page, pattern, label) {
  const links = page.locator('main a[href]');
  const n = await links.count();
  for (let i = 0; i < n; i++) {
    const href = await links.nth(i).getAttribute('href');
    if (pattern.test(href || '')) {
      await Promise.all([page.waitForURL((u) => pattern.test(u.href)), links.nth(i).click()]);
      await page.waitForLoadState('load');
      return decodeURIComponent(page.url().replace(/.*\/(?=[^/]+\/[^/]+$)/, ''));
    }
  }
  throw new Error(`no link to ${label} on ${page.url()}`);
}

// Types `query` into the header search box, presses Enter, and returns the result links.
async function searchFromBox(page, query) {
  const box = page.locator('header form[role="search"] input[name="q"]');
  await box.fill(query);
  await Promise.all([page.waitForURL(/search\.html\?q=/), box.press('Enter')]);
  return resultLinks(page);
}

async function resultLinks(page) {
  await page.waitForFunction(() => window.ZHIKU_SEARCH && window.ZHIKU_SEARCH.done);
  await page.evaluate(() => window.ZHIKU_SEARCH.done);
  await page.waitForFunction(() => (document.getElementById('search-status') || {}).textContent);
  return page.locator('#search-results a').evaluateAll((as) => as.map((a) => ({ text: a.textContent, href: a.href })));
}

// True when the page's Content-Security-Policy refuses an inline script (on a page of its own,
// so the refusal it logs is not counted as a console error).
async function inlineScriptRefused(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  const outcome = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.appendChild(s);
    setTimeout(() => resolve(window.__inlineRan ? 'ran' : 'no report'), 1000);
  }));
  await page.close();
  if (!/^script-src/.test(outcome)) throw new Error(`inline script: ${outcome}`);
  return `refused by ${outcome}`;
}

// Home → domain → article → person, by clicking; returns the URLs of the page types visited.
async function clickThrough(page, home, tag) {
  const visited = { home };
  await page.goto(home);
  await step(`${tag}: home page runs search.js under its CSP`, async () => {
    if (!(await page.evaluate(() => !!window.ZHIKU_SEARCH))) throw new Error('search.js did not run');
  });
  await step(`${tag}: the CSP refuses inline script`, () => inlineScriptRefused(page.context(), home));
  await step(`${tag}: home → domain → article → person by clicking links`, async () => {
    const trail = [await clickLink(page, /(^|\/)domains\/[^/]+\.html$/, 'a domain page')];
    visited.domain = page.url();
    trail.push(await clickLink(page, /(^|\/)articles\/[^/]+\.html(#.*)?$/, 'an article'));
    visited.article = page.url().replace(/#.*/, '');
    trail.push(await clickLink(page, /(^|\/)people\/[^/]+\.html$/, 'a person page'));
    visited.person = page.url();
    return trail.join(' → ');
  });
  return visited;
}

// The first pages of lists long enough to be split (a small site has none), at most one with a
// list of its own (domain, archive, timeline, statistics) and one beginning several lists (person,
// document). A split list's page 1 is its own URL; its pager links the next page with rel="next".
function pagedLists(site) {
  const listed = (d) => fs.existsSync(path.join(site, d))
    ? fs.readdirSync(path.join(site, d)).filter((f) => f.endsWith('.html')).sort().map((f) => `${d}/${f}`)
    : [];
  const paged = (rel) => {
    const file = path.join(site, rel);
    return fs.existsSync(file) && /<a href="[^"]*" rel="next">/.test(fs.readFileSync(file, 'utf8'));
  };
  const single = [...listed('domains'), 'archive.html', ...listed('timeline'), ...listed('statistics/subjects')].find(paged);
  const several = [...listed('documents'), ...listed('people')].find(paged);
  return [single, several].filter(Boolean);
}

// Walks a pager of the list at `rel` of `site` by clicking: next (a page named after its first
// item, saying it continues the list or which dates it runs over), back to page 1, the last page's number, previous or
// "first page", and page 1 again; checks each page lists something of its own. Returns the path
// of the second page.
async function walkPager(page, site, rel) {
  const first = 'file://' + path.join(site, rel);
  const stem = first.replace(/\.html$/, '');
  const later = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([a-z]+-)?[0-9a-f]{8,16}(-\\d+)?\\.html$`);
  // On a page beginning several lists, the first pager that has a next page.
  const pager = () => page.locator('nav.pager:has(a[rel="next"]), nav.pager:has(a[rel="prev"])').first();
  const current = () => pager().locator('[aria-current="page"]').first().textContent();
  const firstItem = () => page.locator('main :is(.article-list, .all-articles, .entries, .stats-table, blockquote) a[href]').first().getAttribute('href');
  const go = async (locator, url) => {
    await Promise.all([page.waitForURL(url), locator.first().click()]);
    await page.waitForLoadState('load');
    return page.url();
  };
  await page.goto(first);
  if ((await current()) !== '1') throw new Error('page 1 does not mark itself current');
  const last = Number(await pager().locator('li a:not([rel])').last().textContent());
  const onFirst = await firstItem();
  const second = await go(pager().locator('a[rel="next"]'), later);
  // It says it goes on with the list (续), or which dates it runs over: not a page number.
  const tag = (await page.locator('h1 .page-no').count()) ? await page.locator('h1 .page-no').textContent() : '';
  if (!tag.trim() || /第\s*\d/.test(tag)) throw new Error(`the second page's heading says "${tag}"`);
  if ((await firstItem()) === onFirst) throw new Error('the second page lists the same as page 1');
  await go(pager().locator('a[rel="prev"]'), first);
  const end = await go(pager().locator('li a:not([rel])', { hasText: new RegExp(`^${last}$`) }), later);
  if (await pager().locator('a[rel="next"]').count()) throw new Error('the last page links a next page');
  const back = last > 2 ? 'a.pager-start' : 'a[rel="prev"]';
  await go(pager().locator(back), first);
  if ((await current()) !== '1') throw new Error('page 1 not reached');
  const name = (u) => decodeURIComponent(u.replace(/.*\//, ''));
  return { second, detail: `${rel}: 1 → ${name(second)} → 1 → ${last} (${name(end)}) → 1 of ${last} pages` };
}

// `zhiku serve` on a copy of `raw`: opens the second page of a domain's articles, deletes all
// the articles but three of that domain's, and waits for the live reload to land on the
// domain's first page.
async function serveReload(browser, bin, raw) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhiku-serve-'));
  const content = path.join(dir, 'content');
  fs.cpSync(raw, content, { recursive: true });
  const port = 20000 + (process.pid % 20000);
  const base = `http://127.0.0.1:${port}/`;
  const child = spawn(bin, ['serve', '--content', content, '--out', path.join(dir, 'site'), '--port', String(port), '--quiet'],
    { cwd: path.resolve(HERE, '..', '..'), stdio: ['ignore', 'ignore', 'inherit'] });
  const context = await browser.newContext();
  try {
    for (let tries = 0; ; tries++) {
      const up = await fetch(base + 'data/kb.json').then((r) => r.ok, () => false);
      if (up) break;
      if (tries > 600 || child.exitCode !== null) throw new Error('zhiku serve did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    const kb = await fetch(base + 'data/kb.json').then((r) => r.json());
    const paged = kb.domains.find((d) => fs.existsSync(path.join(dir, 'site', 'domains', d.slug)));
    if (!paged) throw new Error('no domain has a second page');
    const first = `${base}domains/${paged.slug}.html`;
    const page = await context.newPage();
    // What the step needs is the pager link and live.js, both there once the document is parsed.
    await page.goto(first, { waitUntil: 'domcontentloaded', timeout: 60000 });
    const later = new RegExp(`/domains/${paged.slug}/[0-9a-f]{8,16}(-\\d+)?\\.html$`);
    await Promise.all([page.waitForURL(later), page.locator('nav.pager a[rel="next"]').first().click()]);
    const second = page.url();
    const keep = new Set(paged.articles.slice(0, 3).map((slug) => kb.articles.find((a) => a.slug === slug).source_file));
    for (const f of fs.readdirSync(content)) if (!keep.has(f)) fs.rmSync(path.join(content, f));
    await page.waitForURL(first, { timeout: 60000 });
    const gone = await fetch(second).then((r) => r.status);
    if (gone !== 404) throw new Error(`${second} answers ${gone} after the rebuild`);
    return `${second.slice(base.length)} → ${first.slice(base.length)}`;
  } finally {
    await context.close();
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  nuCheck([OUT], 'any page');
  if (PAGED) nuCheck([PAGED], 'any page of the site with long lists');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const problems = [];
  const pageTypes = {};
  const loadedBytes = {};
  const server = await startServer('/kb/');
  try {
    // ---- file:// ----
    const fileCtx = await browser.newContext();
    const page = await openPage(fileCtx, problems);
    const fileHome = 'file://' + path.join(OUT, 'index.html');
    Object.assign(pageTypes, await clickThrough(page, fileHome, 'file://'));
    const lists = [...pagedLists(OUT).map((rel) => [OUT, rel]), ...(PAGED ? pagedLists(PAGED).map((rel) => [PAGED, rel]) : [])];
    for (const [site, rel] of lists.slice(0, 3)) {
      await step(`file://: a long list is paged: next, page 1, the last page, back by clicking (${site === OUT ? 'site' : 'long lists'})`, async () => {
        const { second, detail } = await walkPager(page, site, rel);
        pageTypes[`later page of ${rel.split('/')[0].replace(/\.html$/, '')}`] = second;
        return detail;
      });
    }
    if (!lists.length) {
      check('file://: a long list is paged (no list long enough on either site: skipped)', true);
    }
    await page.goto(fileHome);
    await step('file://: 鄂维南 typed in the home page box + Enter finds the bilingual explainer', async () => {
      const links = await searchFromBox(page, '鄂维南');
      const hit = links.find((l) => l.text.includes(EXPLAINER));
      if (!hit) throw new Error(`${links.length} results, none titled …${EXPLAINER}…`);
      if (!/articles\/[^/]+\.html(#p\d+)?$/.test(hit.href)) throw new Error(`odd link ${hit.href}`);
      const marks = await page.locator('#search-results mark').allTextContents();
      if (!marks.some((m) => m.includes('鄂维南'))) throw new Error('the name is not highlighted');
      return `${links.length} result(s), link ${decodeURIComponent(hit.href.replace(/.*\//, ''))}`;
    });
    await step('file://: the result link opens the article at the paragraph', async () => {
      const explainer = page.locator('#search-results a', { hasText: EXPLAINER });
      const link = (await explainer.count()) ? explainer.first() : page.locator('#search-results a').first();
      const href = await link.getAttribute('href');
      await Promise.all([page.waitForURL((u) => u.href.startsWith(href.replace(/#.*/, ''))), link.click()]);
      const id = (href.match(/#(.+)$/) || [])[1];
      if (id && !(await page.locator(`[id="${id}"]`).count())) throw new Error(`no #${id} on the article`);
      return id ? `#${id}` : 'top of article';
    });
    await step('file://: search.html?q= loads results, and typing searches live', async () => {
      await page.goto('file://' + path.join(OUT, 'search.html') + '?q=' + encodeURIComponent('AI+'));
      const first = await resultLinks(page);
      if (!first.length) throw new Error('no results for AI+');
      await page.evaluate(() => { window.ZHIKU_SEARCH.done = null; });
      const box = page.locator('header form[role="search"] input[name="q"]');
      await box.fill('');
      await box.pressSequentially('国务院', { delay: 30 });
      // The status line is written before the results' texts have loaded: wait for both.
      const live = await page
        .waitForFunction(
          () =>
            /国务院/.test(document.getElementById('search-status').textContent) &&
            document.querySelectorAll('#search-results li').length > 0,
          null,
          { timeout: 15000 },
        )
        .then(() => page.locator('#search-results li').count())
        .catch(() => 0);
      if (!live) throw new Error('typing showed no results');
      return `AI+: ${first.length}, 国务院 (typed): ${live}`;
    });
    pageTypes.search = 'file://' + path.join(OUT, 'search.html') + '?q=' + encodeURIComponent('人工智能+');
    await step('file://: a first search loads only a few parts', async () => {
      const p2 = await openPage(fileCtx, problems);
      await p2.goto('file://' + path.join(OUT, 'search.html') + '?q=' + encodeURIComponent('人工智能+'));
      await resultLinks(p2);
      const parts = await p2.evaluate(() => window.ZHIKU_SEARCH.loaded.slice());
      const size = (name) => fs.statSync(path.join(OUT, 'assets/search', name + '.js')).size;
      const partBytes = parts.reduce((s, n) => s + size(n), 0);
      const scriptBytes = fs.statSync(path.join(OUT, 'assets/search.js')).size;
      loadedBytes.first = partBytes + scriptBytes;
      loadedBytes.parts = parts.length;
      await p2.close();
      return `人工智能+: ${parts.length} parts, ${partBytes + scriptBytes} bytes with search.js`;
    });
    await fileCtx.close();

    // ---- http://127.0.0.1/kb/ ----
    const port = server.address().port;
    const httpCtx = await browser.newContext();
    const hp = await openPage(httpCtx, problems);
    const httpHome = `http://127.0.0.1:${port}/kb/index.html`;
    await clickThrough(hp, httpHome, 'http /kb/');
    await hp.goto(httpHome);
    await step('http /kb/: 人工智能+ typed in the home page box + Enter gives several results', async () => {
      const links = await searchFromBox(hp, '人工智能+');
      if (links.length < 3) throw new Error(`only ${links.length} result(s)`);
      if (!links.every((l) => l.href.startsWith(`http://127.0.0.1:${port}/kb/articles/`))) throw new Error('a link leaves /kb/');
      return `${links.length} results`;
    });
    await step('http /kb/: the site root URL (a folder) serves the home page', async () => {
      const r = await hp.goto(`http://127.0.0.1:${port}/kb/`);
      if (r.status() !== 200) throw new Error(`HTTP ${r.status()}`);
    });
    await httpCtx.close();

    // ---- the 404 page, as GitHub Pages serves it at the base URL ----
    const canonical = fs.readFileSync(path.join(OUT, 'index.html'), 'utf8').match(/<link rel="canonical" href="([^"]+)index\.html"/);
    if (canonical) {
      const base = canonical[1];
      const prefix = new URL(base).pathname;
      const ghCtx = await browser.newContext();
      await ghCtx.route((u) => u.href.startsWith(base), (route) => {
        const { status, file } = respond(new URL(route.request().url()).pathname, prefix);
        route.fulfill({ status, path: file, contentType: TYPES[path.extname(file)] });
      });
      const gp = await openPage(ghCtx, problems);
      await step(`404 at ${base}missing/deeper/page.html: styled, links work`, async () => {
        gp.expect404 = base + 'missing/deeper/page.html';
        const r = await gp.goto(gp.expect404);
        if (r.status() !== 404) throw new Error(`HTTP ${r.status()}`);
        const styled = await gp.evaluate(() => getComputedStyle(document.querySelector('.site-header')).borderBottomStyle);
        if (styled !== 'solid') throw new Error('the stylesheet did not apply');
        pageTypes['404'] = gp.url();
        const home = gp.locator('main a[href]').first();
        await Promise.all([gp.waitForURL(base + 'index.html'), home.click()]);
        const title = await gp.title();
        if (!title) throw new Error('home page has no title');
        return 'home reached: ' + title;
      });
      await ghCtx.close();
      if (pageTypes['404']) pageTypes['404'] = { url: pageTypes['404'], route: { base, prefix } };
    } else {
      check('404 under a sub-path (site has no base_url: skipped)', true);
    }

    // ---- accessibility: every page type, axe-core (CSP bypassed to inject it) ----
    const more = { list: 'domains.html', timeline: 'timeline.html', statistics: 'statistics.html' };
    for (const [type, rel] of Object.entries(more)) {
      if (fs.existsSync(path.join(OUT, rel))) pageTypes[type] = 'file://' + path.join(OUT, rel);
    }
    const docDir = path.join(OUT, 'documents');
    if (fs.existsSync(docDir)) {
      const d = fs.readdirSync(docDir).filter((f) => f.endsWith('.html')).sort()[0];
      if (d) pageTypes.document = 'file://' + path.join(docDir, d);
    }
    const axeCtx = await browser.newContext({ bypassCSP: true });
    if (pageTypes['404']) {
      const { base, prefix } = pageTypes['404'].route;
      await axeCtx.route((u) => u.href.startsWith(base), (route) => {
        const { status, file } = respond(new URL(route.request().url()).pathname, prefix);
        route.fulfill({ status, path: file, contentType: TYPES[path.extname(file)] });
      });
      pageTypes['404'] = pageTypes['404'].url;
    }
    const axePath = path.join(HERE, 'node_modules/axe-core/axe.min.js');
    for (const [type, url] of Object.entries(pageTypes)) {
      await step(`axe-core: no serious or critical violation on the ${type} page`, async () => {
        const ap = await axeCtx.newPage();
        await ap.goto(url);
        if (type === 'search') await resultLinks(ap);
        await ap.addScriptTag({ path: axePath });
        const res = await ap.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        await ap.close();
        const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        if (bad.length) throw new Error(bad.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}×)`).join('; '));
        return `${res.violations.length} minor`;
      });
    }
    await axeCtx.close();
    if (process.env.ZHIKU_BIN && process.env.ZHIKU_SERVE_CONTENT) {
      await step('zhiku serve: a later page a rebuild removes reloads as the first page of its list', () =>
        serveReload(browser, process.env.ZHIKU_BIN, process.env.ZHIKU_SERVE_CONTENT));
    }
  } finally {
    server.close();
    await browser.close();
  }
  check('no console error, page error or failed request on any page', problems.length === 0,
    problems.length ? `${problems.length}: ${problems.slice(0, 5).join(' | ')}` : '');
  const failed = results.filter((r) => !r.ok).length;
  if (loadedBytes.first) console.log(`first search (人工智能+): ${loadedBytes.parts} parts, ${loadedBytes.first} bytes`);
  console.log(`browser: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  console.log(`browser: ${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
  process.exit(1);
});
