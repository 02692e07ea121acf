/* zhiku search: full-text search of the site in the browser, from a folder (file://) or a server.
 *
 * The index is a set of plain scripts under assets/search/, each filing parts in
 * window.ZHIKU_SEARCH_PARTS; this file loads the parts a query needs by adding <script> tags
 * (no fetch, no modules, so it works from file://). index.js says how the index is laid out:
 * articles are spread over segments, each an index of its own; in each segment a term lives in
 * the shard s<segment>-<k> its first character hashes to. The shards k of several segments
 * share a file: s<f>-<k>.js holds those of the segments whose number is f modulo
 * `manifest.files`, so a query loads one file per file number and first character, and merges
 * the segments' hits. g<segment>-<k>.js holds a group
 * of articles' URLs, titles, dates and paragraphs, loaded only for the results shown; a result
 * whose best unit is its title or first paragraph loads instead the head h<segment>-<k>.js of
 * `manifest.heads` groups, which holds only their first paragraphs. The manifest says where
 * each group starts. The rules for cutting a query into terms and for
 * scoring mirror src/search/tokenize.rs and src/search/query.rs.
 *
 * Only search.html shows results: it reads ?q= and searches as you type. On other pages the
 * search box is a plain form that opens search.html?q=…. Text from the index is put into the
 * page as text nodes, never as markup.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || !script.src) return;
  var partsBase = new URL('search/', script.src);
  var siteRoot = new URL('../', script.src);

  /* MAX_QUERY: characters of a query that are searched; a pasted paragraph would otherwise
   * load a shard for nearly every character in it. */
  var MOST = 0.7, PAGE = 10, MAX_QUERY = 64;
  /* A hit's key: (segment * 2^20 + article) * 2^20 + paragraph, exact in a double. */
  var SHIFT = 1048576;
  var DIGITS = '0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ-_wxyz';
  var DIGIT = {};
  for (var i = 0; i < DIGITS.length; i++) DIGIT[DIGITS.charCodeAt(i)] = i;
  var WORD_CHAR = /^[\p{Alphabetic}\p{N}]$/u;

  /* ---- loading parts ---- */

  var pending = {};
  var loaded = [];

  function parts() {
    return window.ZHIKU_SEARCH_PARTS || (window.ZHIKU_SEARCH_PARTS = {});
  }

  /* Loads part `name` from the file of that name, or from `file` (a shard file holds the
   * parts of several segments). */
  function load(name, version, file) {
    file = file || name;
    if (parts()[name]) return Promise.resolve(parts()[name]);
    if (!pending[file]) {
      pending[file] = new Promise(function (resolve, reject) {
        var tag = document.createElement('script');
        tag.src = new URL(file + '.js' + (version ? '?v=' + version : ''), partsBase).href;
        tag.async = true;
        tag.onload = function () {
          loaded.push(file);
          resolve();
        };
        tag.onerror = function () {
          delete pending[file];
          reject(new Error('cannot load ' + tag.src));
        };
        document.head.appendChild(tag);
      });
    }
    return pending[file].then(function () {
      if (parts()[name]) return parts()[name];
      throw new Error('search part ' + name + ' is missing');
    });
  }

  /* ---- terms, as in tokenize.rs ---- */

  function isCjk(cp) {
    return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3ffff);
  }

  function isWordChar(ch) {
    return !isCjk(ch.codePointAt(0)) && WORD_CHAR.test(ch);
  }

  function normalizeChar(ch) {
    var cp = ch.codePointAt(0);
    if (cp >= 0xff01 && cp <= 0xff5e) ch = String.fromCodePoint(cp - 0xfee0);
    else if (cp === 0x3000) ch = ' ';
    var lower = ch.toLowerCase();
    return Array.from(lower).length === 1 ? lower : ch;
  }

  /* The text as an array of normalised code points (same length as Array.from(text)). */
  function normalize(text) {
    return Array.from(text, normalizeChar);
  }

  function runs(chars) {
    var out = [];
    for (var i = 0; i < chars.length;) {
      var cjk = isCjk(chars[i].codePointAt(0));
      if (!cjk && !isWordChar(chars[i])) { i++; continue; }
      var j = i + 1;
      while (j < chars.length && (cjk ? isCjk(chars[j].codePointAt(0)) : isWordChar(chars[j]))) j++;
      out.push({ cjk: cjk, chars: chars.slice(i, j), plus: chars[j] === '+' });
      i = j;
    }
    return out;
  }

  /* Groups of wanted terms, as query.rs's parse. */
  function parse(query, typing) {
    var norm = normalize(query);
    var last = norm[norm.length - 1];
    var endsOpen = typing && last !== undefined && (isWordChar(last) || isCjk(last.codePointAt(0)));
    var all = runs(norm);
    return all.map(function (run, i) {
      var g = { required: [], text: run.chars.join(''), plus: run.plus };
      var c = run.chars;
      if (run.cjk) {
        if (c.length === 1) g.required.push({ term: c[0], prefix: true });
        var seen = {};
        for (var k = 0; k + 1 < c.length; k++) {
          var bi = c[k] + c[k + 1];
          if (!seen[bi]) { seen[bi] = true; g.required.push({ term: bi, prefix: false }); }
        }
        if (run.plus) g.required.push({ term: c[c.length - 1] + '+', prefix: false });
      } else {
        var open = endsOpen && i === all.length - 1 && !run.plus;
        g.required.push({ term: g.text, prefix: open });
        if (run.plus) g.required.push({ term: g.text + '+', prefix: false });
      }
      return g;
    });
  }

  /* ---- the index ---- */

  function hashBits(c, bits) {
    return bits === 0 ? 0 : Math.imul(c, 0x9e3779b1) >>> (32 - bits);
  }

  /* The shard of `segment` that holds terms starting like `term` (shards.rs's Layout). */
  function partOf(term, manifest, segment) {
    return 's' + segment + '-' + hashBits(term.codePointAt(0), manifest.bits);
  }

  /* The file that holds that shard. */
  function fileOf(term, manifest, segment) {
    return partOf(term, manifest, segment % (manifest.files || manifest.segments));
  }

  /* Calls fn(doc, unit, weight) for each posting of an encoded list (see index.rs). */
  function eachPosting(code, fn) {
    var nums = [], v = 0;
    for (var i = 0; i < code.length; i++) {
      var d = DIGIT[code.charCodeAt(i)];
      if (d >= 32) v = v * 32 + d - 32;
      else { nums.push(v * 32 + d); v = 0; }
    }
    var doc = 0;
    for (var p = 0; p < nums.length;) {
      var gap = nums[p++];
      doc += Math.floor(gap / 2);
      var n = gap % 2 ? 1 : nums[p++], unit = 0;
      for (var k = 0; k < n; k++) {
        unit = k === 0 ? nums[p++] : unit + nums[p++];
        fn(doc, unit, nums[p++]);
      }
    }
  }

  /* Postings of a wanted term in every segment: hit key → best weight (a prefix takes every
   * term it starts). */
  function postingsOf(want, manifest) {
    var best = new Map();
    for (var seg = 0; seg < manifest.segments; seg++) {
      var shard = parts()[partOf(want.term, manifest, seg)];
      var keys = want.prefix
        ? Object.keys(shard).filter(function (t) { return t.lastIndexOf(want.term, 0) === 0; })
        : (Object.prototype.hasOwnProperty.call(shard, want.term) ? [want.term] : []);
      keys.forEach(function (t) {
        eachPosting(shard[t], function (doc, unit, q) {
          var key = (seg * SHIFT + doc) * SHIFT + unit;
          if (!(best.get(key) >= q)) best.set(key, q);
        });
      });
    }
    return best;
  }

  /* Ranked hits for the parsed query, as query.rs's search. */
  function rank(groups, manifest) {
    var step = manifest.step;
    var weight = function (q) { return Math.exp(q * step) - 1; };
    var tally = new Map();
    groups.forEach(function (g, gi) {
      g.required.forEach(function (want) {
        postingsOf(want, manifest).forEach(function (q, key) {
          var s = tally.get(key);
          if (!s) {
            s = groups.map(function () { return [0, 0]; });
            tally.set(key, s);
          }
          s[gi][0] += 1;
          s[gi][1] += weight(q);
        });
      });
    });
    var docs = new Map();
    tally.forEach(function (slots, key) {
      var doc = Math.floor(key / SHIFT), unit = key % SHIFT;
      var e = docs.get(doc);
      if (!e) {
        e = { doc: doc, best: 0, unit: 0, rest: 0, cover: groups.map(function () { return 0; }) };
        docs.set(doc, e);
      }
      var total = 0;
      slots.forEach(function (s, gi) {
        var share = s[0] / Math.max(1, groups[gi].required.length);
        total += s[1] * share * share;
        e.cover[gi] = Math.max(e.cover[gi], share);
      });
      if (total > e.best || (total === e.best && unit < e.unit)) {
        e.rest += e.best;
        e.best = total;
        e.unit = unit;
      } else {
        e.rest += total;
      }
    });
    var all = [];
    docs.forEach(function (e) {
      e.score = e.best + Math.min(e.rest / 4, e.best);
      e.full = e.cover.every(function (c, gi) {
        return c >= (groups[gi].required.length <= 2 ? 1 : MOST);
      });
      all.push(e);
    });
    all.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    var full = all.filter(function (e) { return e.full; });
    return { hits: full.length ? full : all, partial: full.length === 0 && all.length > 0 };
  }

  function search(query, typing) {
    var groups = parse(Array.from(query).slice(0, MAX_QUERY).join(''), typing);
    if (!groups.length) return Promise.resolve({ groups: groups, hits: [], partial: false });
    return load('index').then(function (manifest) {
      var names = {};
      groups.forEach(function (g) {
        g.required.forEach(function (w) {
          for (var seg = 0; seg < manifest.segments; seg++) {
            names[partOf(w.term, manifest, seg)] = fileOf(w.term, manifest, seg);
          }
        });
      });
      return Promise.all(Object.keys(names).sort().map(function (n) { return load(n, manifest.version, names[n]); }))
        .then(function () {
          var r = rank(groups, manifest);
          return { groups: groups, hits: r.hits, partial: r.partial, manifest: manifest };
        });
    });
  }

  /* The record [url, title, date, paragraphs] of hit article `key` (segment * 2^20 + number):
   * from its head (the first paragraph only) when the hit's best unit is the title or the first
   * paragraph, else from its group. */
  function article(key, unit, manifest) {
    var seg = Math.floor(key / SHIFT), doc = key % SHIFT, starts = manifest.groups[seg];
    var g = 0;
    while (g + 2 < starts.length && starts[g + 1] <= doc) g++;
    var per = manifest.heads;
    var name = 'g' + seg + '-' + g, first = starts[g];
    if (per && unit <= 1) {
      name = 'h' + seg + '-' + Math.floor(g / per);
      first = starts[Math.floor(g / per) * per];
    }
    return load(name, manifest.version).then(function (part) { return part[doc - first]; });
  }

  /* ---- showing results ---- */

  /* Ranges [start, end) of code points in `chars` (normalised) that the query matches: whole
   * runs and words where they occur, else their bigrams. */
  function matches(chars, groups) {
    var text = chars.join('');
    var offsets = [], pos = 0;
    chars.forEach(function (c) { offsets.push(pos); pos += c.length; });
    var byUnit = new Map(offsets.map(function (o, i) { return [o, i]; }));
    var ranges = [];
    var find = function (needle) {
      var found = false;
      for (var at = text.indexOf(needle); at >= 0 && needle; at = text.indexOf(needle, at + 1)) {
        var start = byUnit.get(at);
        if (start === undefined) continue;
        ranges.push([start, start + Array.from(needle).length]);
        found = true;
      }
      return found;
    };
    groups.forEach(function (g) {
      if (g.plus && find(g.text + '+')) return;
      if (!find(g.text) && g.text.length > 1) {
        g.required.forEach(function (w) { if (!w.prefix) find(w.term.replace(/\+$/, '')); });
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  /* Appends `text` to `parent`, the matched parts in <mark>, cut to about `room` code points
   * around the first match when `room` is given. */
  function appendMarked(parent, text, groups, room) {
    var chars = Array.from(text);
    var ranges = matches(normalize(text), groups);
    var from = 0, to = chars.length;
    if (room && chars.length > room) {
      var first = ranges.length ? ranges[0][0] : 0;
      from = Math.max(0, Math.min(first - Math.floor(room / 4), chars.length - room));
      to = Math.min(chars.length, from + room);
    }
    var at = from;
    var put = function (end, marked) {
      if (end <= at) return;
      var piece = document.createTextNode(chars.slice(at, end).join(''));
      if (marked) {
        var m = document.createElement('mark');
        m.appendChild(piece);
        parent.appendChild(m);
      } else {
        parent.appendChild(piece);
      }
      at = end;
    };
    if (from > 0) parent.appendChild(document.createTextNode('…'));
    ranges.forEach(function (r) {
      if (r[1] <= from || r[0] >= to) return;
      put(Math.max(r[0], from), false);
      put(Math.min(r[1], to), true);
    });
    put(to, false);
    if (to < chars.length) parent.appendChild(document.createTextNode('…'));
  }

  function hitItem(hit, doc, groups) {
    var li = document.createElement('li');
    li.className = 'search-hit';
    var a = document.createElement('a');
    a.className = 'search-title';
    var href = new URL(doc[0] + (hit.unit > 0 ? '#p' + (hit.unit - 1) : ''), siteRoot);
    if (href.protocol === siteRoot.protocol) a.href = href.href;
    appendMarked(a, doc[1], groups, 0);
    var h = document.createElement('h2');
    h.appendChild(a);
    li.appendChild(h);
    if (doc[2]) {
      var meta = document.createElement('p');
      meta.className = 'search-meta';
      var time = document.createElement('time');
      time.dateTime = doc[2];
      time.textContent = doc[2];
      meta.appendChild(time);
      li.appendChild(meta);
    }
    var text = hit.unit > 0 ? doc[3][hit.unit - 1] : doc[3][0];
    if (text) {
      var p = document.createElement('p');
      p.className = 'search-snippet';
      appendMarked(p, text, groups, 120);
      li.appendChild(p);
    }
    return li;
  }

  function page() {
    var list = document.getElementById('search-results');
    if (!list) return;
    var status = document.getElementById('search-status');
    var input = document.querySelector('form[role="search"] input[name="q"]');
    var more = document.createElement('button');
    more.type = 'button';
    more.className = 'search-more';
    more.textContent = '显示更多结果';
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);
    var latest = 0, current = null, shown = 0;

    var say = function (text) { if (status) status.textContent = text; };

    var showMore = function (ticket) {
      var batch = current.hits.slice(shown, shown + PAGE);
      return Promise.all(batch.map(function (h) { return article(h.doc, h.unit, current.manifest); }))
        .then(function (docs) {
          if (ticket !== latest) return;
          docs.forEach(function (doc, k) { list.appendChild(hitItem(batch[k], doc, current.groups)); });
          shown += batch.length;
          more.hidden = shown >= current.hits.length;
        });
    };

    var run = function (query, typing) {
      var ticket = ++latest;
      query = query.trim();
      if (!query) {
        list.textContent = '';
        more.hidden = true;
        say('');
        return Promise.resolve();
      }
      return search(query, typing).then(function (result) {
        if (ticket !== latest) return;
        current = result;
        shown = 0;
        list.textContent = '';
        var n = result.hits.length;
        if (!n) say('没有找到与“' + query + '”相关的文章。');
        else if (result.partial) say('没有同时包含全部查询词的文章；以下 ' + n + ' 篇文章包含其中一部分。');
        else say('找到 ' + n + ' 篇与“' + query + '”相关的文章。');
        return showMore(ticket);
      }).catch(function (err) {
        if (ticket !== latest) return;
        say('搜索索引无法加载。');
        if (window.console) console.warn(err);
      });
    };

    var setUrl = function (query) {
      try {
        var url = new URL(location.href);
        url.searchParams.set('q', query);
        history.replaceState(null, '', url.href);
      } catch (e) { /* file:// may refuse; the results are shown all the same */ }
    };

    more.addEventListener('click', function () { showMore(latest); });
    var query = new URLSearchParams(location.search).get('q') || '';
    document.querySelectorAll('input[name="q"]').forEach(function (box) { box.value = query; });
    if (input) {
      var timer = 0;
      input.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(function () { setUrl(input.value); run(input.value, true); }, 150);
      });
      var form = input.form;
      if (form) {
        form.addEventListener('submit', function (e) {
          e.preventDefault();
          setUrl(input.value);
          run(input.value, false);
        });
      }
    }
    if (input && !query) input.focus();
    document.documentElement.classList.add('search-ready');
    window.ZHIKU_SEARCH.done = run(query, false);
  }

  window.ZHIKU_SEARCH = { search: search, parse: parse, loaded: loaded };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', page);
  else page();
})();
