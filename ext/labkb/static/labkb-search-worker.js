/* labkb: the search engine behind labkb-search.js, in a web worker of its own.
 *
 * It runs Pagefind, ranks the results and answers each query with the data of the results shown
 * only: their URL, title, kind, area and excerpt. The page never receives the thousands of
 * results a short query hits, and Pagefind's own worker is not used (in a worker, Pagefind runs
 * in place). Without module workers, labkb-search.js imports this module into the page instead
 * (``createEngine``), where Pagefind starts its own worker.
 *
 * Messages (each with an ``id`` the answer repeats): {type: "start", bundle, root} loads
 * Pagefind; {type: "search", session, query, limit, count, names} answers {results, total,
 * terms, timings, initial} with the first ``count`` results, or {stale: true} when a newer search
 * of the session came first; {type: "more", session, from, count} the next results of the
 * session's last search; failures answer {error}. With ``names``, a query of one Latin letter or
 * digit lists the pages with a name that has a word starting with it, as the build listed them
 * (``initial: true``): searched as a word's start, a letter alone matches nearly every page of a
 * large site, and costs as much as its thousands of results.
 */

// Pagefind's BM25-like ranking: long pages (areas, lists) are penalised less than by default,
// since they are what a reader typing an area's or a kind's name wants.
const RANKING = { pageLength: 0.2, termFrequency: 1.0, termSaturation: 1.2, termSimilarity: 1.0 };
// Sources are the documents behind the pages: shown, but after the pages built from them.
const KIND_FACTOR = { source: 0.5 };
const BOOST_WINDOW = 8;  // results whose names are compared with the query
const EXCERPT_WORDS = 26;
const SEARCHES_KEPT = 16;  // Pagefind's answers kept: each word of a query is searched alone too
const CHANGES = "labkb-changes.json";  // in the bundle: the changes indexed apart, if any
const INITIAL = /^[a-z0-9]$/i;  // a query that lists pages by the initials of their names

const segmenter = typeof Intl !== "undefined" && Intl.Segmenter
  ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
/** The words of a query (Chinese split by the browser), lower-cased, without duplicates. */
export function words(query) {
  const out = [];
  const parts = segmenter
    ? Array.from(segmenter.segment(query)).filter((s) => s.isWordLike).map((s) => s.segment)
    : query.split(/\s+/);
  for (const w of parts) {
    const word = w.trim().toLowerCase();
    if (word && !out.includes(word)) out.push(word);
  }
  return out;
}

/** A newer query of the same session superseded this one: its work stops. */
export const STALE = Symbol("stale");
function check(stale) { if (stale()) throw STALE; }
/** Let the messages waiting in the worker's queue run (a newer query among them supersedes the
 * one in progress), then go on. */
function queued() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
    channel.port2.postMessage(null);
  });
}

const squash = (s) => s.toLowerCase().replace(/[\s\-_.·:]+/g, "");

/** A page's text as Pagefind counts its words (the places its results give): split at the
 * zero-width spaces Pagefind puts between Chinese words, else at white space. */
export function pageWords(content) {
  const zws = content.includes("\u200B");
  return { words: content.split(zws ? "\u200B" : /[^\S\uFEFF]+/g), joiner: zws ? "" : " " };
}

/** The excerpt of a page (``pageWords``) for the words matched at ``places``, as Pagefind makes
 * it: EXCERPT_WORDS words around the densest run of matches, those marked. (Pagefind also
 * weighs each match by its score, which it keeps to itself: here every match counts one.) */
export function excerpt(text, places) {
  const { words, joiner } = text;
  const at = Array.from(new Set(places)).sort((a, b) => a - b);
  let start = 0;
  if (at.length && words.length > EXCERPT_WORDS) {
    let best = { count: 0, first: 0, last: 0 };
    for (let i = 0, j = 0; i < at.length; i++) {
      if (j < i) j = i;
      while (j + 1 < at.length && at[j + 1] < at[i] + EXCERPT_WORDS) j++;
      if (j - i + 1 > best.count) best = { count: j - i + 1, first: at[i], last: at[j] };
    }
    // the middle of the starts whose window holds the run, within the text
    start = Math.floor((best.last - EXCERPT_WORDS + 1 + best.first) / 2);
    start = Math.max(0, Math.min(start, words.length - EXCERPT_WORDS));
  }
  const end = Math.min(words.length, start + EXCERPT_WORDS);
  const shown = words.slice(start, end);
  for (const place of at) {
    if (place >= start && place < end) shown[place - start] = `<mark>${shown[place - start]}</mark>`;
  }
  return shown.join(joiner).trim();
}

const SIGNATURE = "pagefind_dcd";
const decoder = new TextDecoder();
/** A page's fragment as Pagefind stores it (``fragment/<id>.pf_fragment``: gzip, a signature,
 * JSON), read with the browser's own gzip (Pagefind inflates in JavaScript); null when it is not
 * there as such (a page kept in one of Pagefind's fragment groups, a browser without
 * DecompressionStream; a failure to read it throws): Pagefind's data() then loads it. */
export async function readFragment(url) {
  if (typeof DecompressionStream === "undefined") return null;
  const response = await fetch(url);
  if (!response.ok || !response.body) return null;
  const stream = response.body.pipeThrough(new DecompressionStream("gzip"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  if (decoder.decode(bytes.subarray(0, 12)) !== SIGNATURE) return null;
  return JSON.parse(decoder.decode(bytes.subarray(12)));
}

/** A page's URL as Pagefind gives it (its ``fullUrl``: under ``base``, slashes collapsed). */
export function fullUrl(raw, base) {
  if (/^(https?:)?\/\//.test(raw)) return raw;
  return `${base}/${raw}`.replace(/\/+/g, "/").replace(/^(https?:\/)/, "$1/");
}

/** The engine for the Pagefind bundle at ``bundle`` (the URL of its pagefind.js), whose pages'
 * URLs start at ``root`` (a path). */
export function createEngine(bundle, root) {
  let loading = null;
  /** The changes an incremental build indexed apart (labkb's search_changes.py): the bundle
   * Pagefind merges, the ids of its pages, and the full index's ids it replaces. */
  const changes = { bundle: null, added: new Set(), superseded: new Set() };
  function pagefind() {
    if (!loading) {
      loading = import(bundle).then(async (pf) => {
        const options = { baseUrl: root, excerptLength: EXCERPT_WORDS, ranking: RANKING };
        await pf.options(options);
        await pf.init();
        const manifest = await fetch(new URL(CHANGES, bundle), { cache: "no-cache" })
          .then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
        if (manifest.bundle) {
          changes.bundle = new URL(manifest.bundle, bundle).href;
          await pf.mergeIndex(changes.bundle, options);
          changes.added = new Set(manifest.added || []);
        }
        changes.superseded = new Set(manifest.superseded || []);
        return pf;
      });
    }
    return loading;
  }
  /** Pagefind's results without those the changes replace, each page once (a page indexed again
   * unchanged has the same id in both bundles). */
  function current(found) {
    if (!changes.superseded.size && !changes.added.size) return found;
    const ids = new Set();
    const results = found.results.filter((r) => {
      if (changes.superseded.has(r.id) || ids.has(r.id)) return false;
      ids.add(r.id);
      return true;
    });
    return { ...found, results };
  }

  /** What the worker keeps of each page it loaded, by result id: its URL, metadata (what the
   * ranking reads: title, names, kind), excerpt with the places of the words it matched, and its
   * text (split into words when first needed). A later query re-ranks the page without loading it, shows the same excerpt
   * when the page matches at the same places (typing on in a word), and otherwise makes the
   * excerpt here: Pagefind's data() splits the page's whole text (and builds sub-results, which
   * labkb does not show) at every call, which took hundreds of milliseconds per keystroke for
   * the pages listing every paper. */
  const seen = new Map();
  /** The data of results for this query, each loaded at most once; none for a query that a
   * newer one superseded meanwhile. */
  async function load(results, stale) {
    if (results.some((r) => !r.kbData && !seen.has(r.id))) {
      await queued();
      check(stale);
    }
    await Promise.all(results.map(async (r) => {
      if (r.kbData) return;
      const at = r.words.join(" ");
      const last = seen.get(r.id);
      if (last) {
        if (last.at !== at) {
          if (typeof last.text === "string") last.text = pageWords(last.text);  // split once
          last.data = { ...last.data, excerpt: excerpt(last.text, r.words) };
          last.at = at;
        }
        r.kbData = last.data;
        return;
      }
      // Pagefind's data() also builds an excerpt for each of the page's headings (sub-results,
      // not shown), each splitting the whole text, and inflates the page in JavaScript: for a
      // page matched at many places most of the time of a keystroke on the main thread, and
      // slower for the others too once the CPU is slow (4x: p95 279-307 ms own, 304-348 data())
      const own = await readFragment(new URL(`fragment/${r.id}.pf_fragment`,
        changes.added.has(r.id) ? changes.bundle : bundle)).catch(() => null);
      if (own) {
        const text = pageWords((own.content || "").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
        r.kbData = { url: fullUrl(own.url || "", root), meta: own.meta || {},
                     excerpt: excerpt(text, r.words) };
        seen.set(r.id, { at, data: r.kbData, text });
        return;
      }
      const data = await r.data();  // Pagefind's object, changed by its next data() of the page
      r.kbData = { url: data.url, meta: data.meta, excerpt: data.excerpt };
      seen.set(r.id, { at, data: r.kbData, text: data.raw_content || "" });
    }));
    check(stale);
  }

  /** The first results re-ordered by their score times a boost: x3 when the query is the page's
   * title or other name (or one of them starts with it), x1.5 when the title contains it; x0.5
   * for source documents. Only pages the ranking has not seen yet are loaded for it. A
   * query of one character is left in Pagefind's order: it names nothing yet, hits nearly every
   * page, and the results shown are then the only pages loaded. */
  async function boost(results, query, stale) {
    const q = squash(query);
    if (Array.from(q).length < 2) return results;
    const head = results.slice(0, BOOST_WINDOW);
    await load(head.filter((r) => !seen.has(r.id)), stale);
    const scored = head.map((r, i) => {
      const meta = seen.get(r.id).data.meta;
      const names = [meta.title || "", ...(meta.names || "").split(" | ")].map(squash)
        .filter(Boolean);
      let factor = KIND_FACTOR[meta.kind] || 1;
      if (q && names.some((n) => n === q || n.startsWith(q))) factor *= 3;
      else if (q && names.some((n) => n.includes(q))) factor *= 1.5;
      return { r, i, score: r.score * factor };
    });
    scored.sort((a, b) => b.score - a.score || a.i - b.i);
    return scored.map((s) => s.r).concat(results.slice(BOOST_WINDOW));
  }

  /** Pagefind's last answers, by query as it normalises them: typing on in a query's last word
   * searches its other words again, alone, at every key. */
  const answers = new Map();
  /** Keep an answer, the most recently used last, the oldest dropped past SEARCHES_KEPT. */
  function keep(key, found) {
    answers.delete(key);
    answers.set(key, found);
    if (answers.size > SEARCHES_KEPT) answers.delete(answers.keys().next().value);
  }
  /** Results for a query: pages with every word first (Pagefind's ranking, boosted), then pages
   * with some of the words, by how many they have and their summed score. The time spent in
   * Pagefind's searches is added to ``timings.search``, their number to ``timings.searches``. */
  async function rank(query, limit, stale, timings) {
    const pf = await pagefind();
    check(stale);
    const find = async (q) => {
      const key = q.trim().replace(/\s+/g, " ").toLowerCase();
      let found = answers.get(key);
      if (!found) {
        const start = performance.now();
        found = current(await pf.search(q));
        timings.search += performance.now() - start;
        timings.searches += 1;
      }
      keep(key, found);
      check(stale);
      return found;
    };
    const found = await find(query);
    const all = await boost(found.results, query, stale);
    const terms = words(query);
    if (terms.length < 2 || all.length >= limit) return all;
    const seen = new Set(all.map((r) => r.id));
    const partial = new Map();
    for (const term of terms) {
      const each = await find(term);
      for (const r of each.results) {
        if (seen.has(r.id)) continue;
        const hit = partial.get(r.id) || { result: r, terms: 0, score: 0 };
        hit.terms += 1;
        hit.score += r.score;
        partial.set(r.id, hit);
      }
    }
    const rest = await boost(Array.from(partial.values())
      .sort((a, b) => b.terms - a.terms || b.score - a.score).map((h) => h.result), query, stale);
    return all.concat(rest);
  }

  /** Results ``from`` to ``from + count`` of a ranked list, as the page shows them. */
  async function shown(results, from, count, stale) {
    const batch = results.slice(from, from + count);
    await load(batch, stale);
    return batch.map((r, i) => {
      const data = r.kbData;
      return { rank: from + i, url: data.url, title: data.meta.title || "",
               kind: data.meta.kind || "", area: data.meta.area || "",
               excerpt: data.excerpt || "" };
    });
  }

  /** The pages with a name starting with ``letter``, then those with a word of a name starting
   * with it, as the build listed them (labkb's ``kb-names/<letter>.json``: their number and the
   * first of them), each with its data as shown. */
  async function named(letter, stale, timings) {
    const key = `initial:${letter.toLowerCase()}`;
    let found = answers.get(key);
    if (!found) {
      const start = performance.now();
      const url = new URL(`${root.replace(/\/?$/, "/")}kb-names/${letter.toLowerCase()}.json`, bundle);
      const table = await fetch(url).then((r) => (r.ok ? r.json() : { total: 0, pages: [] }))
        .catch(() => ({ total: 0, pages: [] }));
      const results = table.pages.map(([page, title, kind, area]) => ({
        kbData: { url: fullUrl(page, root), meta: { title, kind, area }, excerpt: "" } }));
      found = { results, total: table.total };
      // the index chunks of the words the letter starts, loaded while the reader types on
      pagefind().then((pf) => pf.preload(letter)).catch(() => {});
      timings.search += performance.now() - start;
      timings.searches += 1;
    }
    keep(key, found);
    check(stale);
    return found;
  }

  const sessions = new Map();  // session -> {id, results}: the last search of each
  return {
    /** The first ``count`` results of ``query`` (``limit``: how many the all-words search must
     * find before the any-word one is skipped), unless a newer search of the session came. */
    async search({ id, session, query, limit, count, names }) {
      const stale = () => sessions.get(session)?.id !== id;
      sessions.set(session, { id, results: [] });
      await queued();  // keys typed meanwhile: only the last of them is searched
      check(stale);
      // where the time went (ms): loading Pagefind, its searches, ranking, the results' data
      const timings = { engine: 0, search: 0, rank: 0, data: 0, searches: 0 };
      const start = performance.now();
      await pagefind();
      timings.engine = performance.now() - start;
      const initial = Boolean(names) && INITIAL.test(query);
      const listed = initial ? await named(query, stale, timings) : null;
      const results = listed ? listed.results : await rank(query, limit, stale, timings);
      const ranked = performance.now();
      timings.rank = ranked - start - timings.engine - timings.search;
      sessions.set(session, { id, results });
      const first = await shown(results, 0, count, stale);
      timings.data = performance.now() - ranked;
      return { results: first, total: listed ? listed.total : results.length,
               terms: initial ? [] : words(query), timings, initial };
    },
    /** The next ``count`` results of the session's last search. */
    async more({ session, from, count }) {
      const last = sessions.get(session);
      const results = last ? last.results : [];
      return { results: await shown(results, from, count, () => false), total: results.length };
    },
    /** Start loading Pagefind (on focus, before the first key). */
    warm() { pagefind(); },
  };
}

/** In a worker: the engine answers the page's messages. */
if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  let engine = null;
  self.addEventListener("message", async (event) => {
    const message = event.data;
    if (message.type === "start") {
      engine = createEngine(message.bundle, message.root);
      engine.warm();
      self.postMessage({ id: message.id, ready: true });
      return;
    }
    try {
      const answer = await engine[message.type](message);
      self.postMessage({ id: message.id, ...answer });
    } catch (error) {
      if (error === STALE) self.postMessage({ id: message.id, stale: true });
      else self.postMessage({ id: message.id, error: String(error && error.message || error) });
    }
  });
}
