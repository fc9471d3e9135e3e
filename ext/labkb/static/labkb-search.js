/* labkb: search as you type, and the full results page, on the Pagefind index of the site.
 *
 * Active only when the page says so (<meta name="kb-search" content="pagefind">, written when the
 * build indexed the site). The theme's search field (navbar button, Ctrl+K, and "/" unless Read the
 * Docs' own search addon is on the page) shows ranked results while typing, grouped by kind, each
 * with its title, kind, area and a snippet with the match highlighted; Enter on a result opens it,
 * Enter otherwise opens search.html?q=... (the form's own submission, which also works without
 * JavaScript). Pagefind runs its search in a web worker and loads only the index chunks a query
 * needs. Queries match all their words first, then any of them; Chinese is split into words by
 * the browser (Intl.Segmenter), as Pagefind's extended build split the pages.
 */
(() => {
  "use strict";
  const meta = document.querySelector('meta[name="kb-search"][content="pagefind"]');
  if (!meta) return;

  const BUNDLE = new URL(meta.dataset.bundle, document.baseURI).href;
  const ROOT = new URL(document.documentElement.dataset.content_root || "./", document.baseURI);
  const KINDS = {
    area: ["Research areas", "研究方向"], project: ["Projects", "项目"], model: ["Models", "模型"],
    person: ["People", "人物"], paper: ["Papers", "论文"], news: ["News", "新闻"],
    source: ["Sources", "来源"], page: ["Pages", "页面"],
  };
  // Pagefind's BM25-like ranking: long pages (areas, lists) are penalised less than by default,
  // since they are what a reader typing an area's or a kind's name wants.
  const RANKING = { pageLength: 0.2, termFrequency: 1.0, termSaturation: 1.2, termSimilarity: 1.0 };
  // Sources are the documents behind the pages: shown, but after the pages built from them.
  const KIND_FACTOR = { source: 0.5 };
  const BOOST_WINDOW = 24;    // results whose names are compared with the query
  const SUGGEST_LIMIT = 8;     // results shown while typing
  const PAGE_LIMIT = 50;       // results rendered at once on the results page
  const DEBOUNCE_MS = 25;

  let engine = null;
  function pagefind() {
    if (!engine) {
      engine = import(BUNDLE).then(async (pf) => {
        await pf.options({ baseUrl: ROOT.pathname, excerptLength: 26, ranking: RANKING });
        await pf.init();
        return pf;
      });
    }
    return engine;
  }

  const segmenter = typeof Intl !== "undefined" && Intl.Segmenter
    ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
  /** The words of a query (Chinese split by the browser), lower-cased, without duplicates. */
  function words(query) {
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

  /** Results for a query: pages with every word first (Pagefind's ranking), then pages with
   * some of the words, by how many they have and their summed score. */
  const squash = (s) => s.toLowerCase().replace(/[\s\-_.·:]+/g, "");
  /** The first results re-ordered by their score times a boost: x3 when the query is the page's
   * title or other name (or one of them starts with it), x1.5 when the title contains it; x0.5
   * for source documents. Their data is loaded (and kept) for it. */
  async function boost(results, query) {
    const q = squash(query);
    const head = results.slice(0, BOOST_WINDOW);
    await Promise.all(head.map(async (r) => { r.kbData = r.kbData || await r.data(); }));
    const scored = head.map((r, i) => {
      const meta = r.kbData.meta;
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

  async function rank(query, limit) {
    const pf = await pagefind();
    const all = await boost((await pf.search(query)).results, query);
    const terms = words(query);
    if (terms.length < 2 || all.length >= limit) return { results: all, total: all.length };
    const seen = new Set(all.map((r) => r.id));
    const partial = new Map();
    for (const term of terms) {
      for (const r of (await pf.search(term)).results) {
        if (seen.has(r.id)) continue;
        const hit = partial.get(r.id) || { result: r, terms: 0, score: 0 };
        hit.terms += 1;
        hit.score += r.score;
        partial.set(r.id, hit);
      }
    }
    const rest = await boost(Array.from(partial.values())
      .sort((a, b) => b.terms - a.terms || b.score - a.score).map((h) => h.result), query);
    const results = all.concat(rest);
    return { results, total: results.length };
  }

  /** The text of Pagefind's excerpt with the query's words marked (as DOM nodes: no HTML from
   * the index is inserted as such). */
  function snippet(excerptHtml, terms) {
    const holder = document.createElement("template");
    holder.innerHTML = excerptHtml;
    const text = holder.content.textContent.replace(/\s+/g, " ").trim();
    const frag = document.createDocumentFragment();
    const sorted = terms.slice().sort((a, b) => b.length - a.length)
      .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    if (!sorted.length) { frag.append(text); return frag; }
    const pattern = new RegExp(`(${sorted.join("|")})`, "gi");
    let last = 0;
    for (const m of text.matchAll(pattern)) {
      frag.append(text.slice(last, m.index));
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      frag.append(mark);
      last = m.index + m[0].length;
    }
    frag.append(text.slice(last));
    return frag;
  }

  function kindOf(data) { return KINDS[data.meta.kind] ? data.meta.kind : "page"; }
  function kindLabel(kind) { const [en, zh] = KINDS[kind]; return `${en} · ${zh}`; }

  /** Loaded results grouped by kind, the group of the best result first, keeping the ranking
   * inside each group (each item keeps its rank in ``item.rank``). */
  function grouped(items) {
    const groups = new Map();
    for (const item of items) {
      const kind = kindOf(item.data);
      if (!groups.has(kind)) groups.set(kind, []);
      groups.get(kind).push(item);
    }
    return Array.from(groups.entries());
  }

  function resultBody(el, data, terms) {
    const title = document.createElement("span");
    title.className = "kb-result-title";
    title.textContent = data.meta.title || data.url;
    const info = document.createElement("span");
    info.className = "kb-result-meta";
    info.textContent = [data.meta.kind, data.meta.area].filter(Boolean).join(" · ");
    const excerpt = document.createElement("span");
    excerpt.className = "kb-result-excerpt";
    excerpt.append(snippet(data.excerpt || "", terms));
    el.append(title, info, excerpt);
  }

  // -- search as you type, in the theme's search dialog ------------------------------------------
  let counter = 0;
  function attach(input) {
    const form = input.closest("form");
    const id = `kb-suggest-${++counter}`;
    const list = document.createElement("div");
    list.id = id;
    list.className = "kb-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    const box = document.createElement("div");
    box.className = "kb-suggest-box";
    box.hidden = true;
    const more = document.createElement("a");
    more.className = "kb-suggest-all";
    box.append(list, more);
    const status = document.createElement("p");
    status.className = "kb-suggest-status visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.after(box, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);

    let active = -1;
    let options = [];
    let generation = 0;
    let timer = null;

    function close() {
      box.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function activate(i) {
      options.forEach((o, j) => o.setAttribute("aria-selected", String(i === j)));
      active = i;
      if (i < 0) { input.removeAttribute("aria-activedescendant"); return; }
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    }
    async function update() {
      const query = input.value.trim();
      const mine = ++generation;
      if (!query) { close(); list.replaceChildren(); status.textContent = ""; return; }
      const { results, total } = await rank(query, SUGGEST_LIMIT);
      const items = await Promise.all(results.slice(0, SUGGEST_LIMIT)
        .map(async (r, rank) => ({ rank, data: r.kbData || await r.data() })));
      if (mine !== generation) return; // a newer query is on its way
      const terms = words(query);
      const children = [];
      options = [];
      for (const [kind, members] of grouped(items)) {
        const group = document.createElement("div");
        group.setAttribute("role", "group");
        const label = document.createElement("div");
        label.className = "kb-suggest-kind";
        label.id = `${id}-${kind}`;
        label.setAttribute("role", "presentation");
        label.textContent = kindLabel(kind);
        group.setAttribute("aria-labelledby", label.id);
        group.append(label);
        for (const { rank, data } of members) {
          const option = document.createElement("a");
          option.dataset.rank = String(rank);
          option.id = `${id}-o${options.length}`;
          option.className = "kb-suggest-option";
          option.href = data.url;
          option.tabIndex = -1;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          resultBody(option, data, terms);
          options.push(option);
          group.append(option);
        }
        children.push(group);
      }
      more.href = `${form.getAttribute("action")}?q=${encodeURIComponent(query)}`;
      more.textContent = total ? `All ${total} results for “${query}” (Enter)` : `No page matches “${query}”`;
      list.replaceChildren(...children);
      box.hidden = false;
      list.dataset.query = query;
      // for the benchmark and the tests: when the results of which query were rendered
      document.dispatchEvent(new CustomEvent("kb-search-rendered",
        { detail: { query, total, time: performance.now() } }));
      input.setAttribute("aria-expanded", "true");
      status.textContent = total ? `${total} results; arrow keys to choose` : "No results";
      activate(-1);
    }
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(update, DEBOUNCE_MS);
    });
    input.addEventListener("focus", () => { pagefind(); });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (box.hidden || !options.length) return;
        event.preventDefault();
        // -1 is the input itself: down from the last result and up from the first go back there
        const next = active + (event.key === "ArrowDown" ? 1 : -1);
        activate(next >= options.length ? -1 : next < -1 ? options.length - 1 : next);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = options[active].href;
      } else if (event.key === "Escape" && !box.hidden) {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
  }

  // "/" opens the search as in many sites, unless Read the Docs' search addon (bound to "/")
  // is on the page; Ctrl+K / Cmd+K is the theme's own.
  function readTheDocsSearch() {
    return Boolean(document.querySelector("readthedocs-search"));
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    if (readTheDocsSearch()) return;
    const button = document.querySelector(".search-button__button");
    if (!button) return;
    event.preventDefault();
    button.click();
  });

  // -- the full results page ---------------------------------------------------------------------
  async function resultsPage(container) {
    const input = document.getElementById("kb-search-page-input");
    const statusLine = document.getElementById("kb-search-status");
    const query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    if (input) { input.value = query; input.focus(); }
    if (!query) { container.dataset.kbDone = "true"; return; }
    statusLine.textContent = "Searching…";
    const { results, total } = await rank(query, PAGE_LIMIT);
    const terms = words(query);
    let shown = 0;
    const sections = new Map();
    async function more() {
      const batch = results.slice(shown, shown + PAGE_LIMIT);
      shown += batch.length;
      const first = shown - batch.length;
      const items = await Promise.all(batch.map(async (r, i) => ({ rank: first + i,
        data: r.kbData || await r.data() })));
      for (const [kind, members] of grouped(items)) {
        let list = sections.get(kind);
        if (!list) {
          const section = document.createElement("section");
          section.className = "kb-results-group";
          const heading = document.createElement("h2");
          heading.textContent = kindLabel(kind);
          list = document.createElement("ul");
          list.className = "kb-results-list search";
          section.append(heading, list);
          sections.set(kind, list);
          container.insertBefore(section, moreButton);
        }
        for (const { rank, data } of members) {
          const li = document.createElement("li");
          li.dataset.rank = String(rank);
          const link = document.createElement("a");
          link.href = data.url;
          resultBody(link, data, terms);
          li.append(link);
          list.append(li);
        }
      }
      moreButton.hidden = shown >= results.length;
    }
    const moreButton = document.createElement("button");
    moreButton.type = "button";
    moreButton.className = "btn btn-sm kb-results-more";
    moreButton.textContent = "Show more results";
    moreButton.hidden = true;
    moreButton.addEventListener("click", () => { more(); });
    container.append(moreButton);
    await more();
    statusLine.textContent = total
      ? `${total} pages match “${query}”${total > shown ? ` (the first ${shown} shown)` : ""}.`
      : `No page matches “${query}”.`;
    container.dataset.kbDone = "true";
  }

  function start() {
    const page = document.querySelector(".kb-search-page #search-results");
    if (page) resultsPage(page);
    for (const input of document.querySelectorAll("#pst-search-dialog form.bd-search input[name=q]")) {
      attach(input);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
