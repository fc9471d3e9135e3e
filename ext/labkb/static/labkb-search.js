/* labkb: search as you type, and the full results page, on the Pagefind index of the site.
 *
 * Active only when the page says so (<meta name="kb-search" content="pagefind">, written when the
 * build indexed the site). The theme's search field (navbar button, Ctrl+K, and "/" unless Read the
 * Docs' own search addon is on the page) shows ranked results while typing, grouped by kind, each
 * with its title, kind, area and a snippet with the match highlighted (a single Latin letter lists
 * the pages named with a word it starts: a letter alone matches nearly every page); Enter on a
 * result opens it, Enter otherwise opens search.html?q=... (the form's own submission, which
 * also works without JavaScript). The search runs in a web worker (labkb-search-worker.js:
 * Pagefind, the ranking, and the data of the results shown, nothing more); the page renders.
 * Pagefind loads only the index chunks a query needs, and the worker only the pages it shows or
 * ranks. Queries match all their words first, then any of them; Chinese is split into words by
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
  const SUGGEST_LIMIT = 8;     // results shown while typing
  const PAGE_LIMIT = 50;       // results rendered at once on the results page
  const WORKER = new URL("labkb-search-worker.js",
                         (document.currentScript && document.currentScript.src) || document.baseURI);

  let client = null;
  /** The search engine: ``call(message)`` answers a message of labkb-search-worker.js (in its
   * worker, or in the page when module workers are not available). */
  function engine() {
    if (!client) client = inWorker().catch(() => inPage());
    return client;
  }
  function inWorker() {
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER, { type: "module" });
      const waiting = new Map();
      let next = 0;
      const call = (message) => new Promise((ok, fail) => {
        const id = ++next;
        waiting.set(id, { ok, fail });
        worker.postMessage({ ...message, id });
      });
      worker.addEventListener("message", (event) => {
        const answer = event.data;
        const caller = waiting.get(answer.id);
        if (!caller) return;
        waiting.delete(answer.id);
        if (answer.error) caller.fail(new Error(answer.error));
        else caller.ok(answer);
      });
      let started = false;
      worker.addEventListener("error", (event) => {
        event.preventDefault();
        for (const caller of waiting.values()) caller.fail(new Error("search worker failed"));
        waiting.clear();
        if (!started) { worker.terminate(); reject(new Error("search worker failed")); }
      });
      call({ type: "start", bundle: BUNDLE, root: ROOT.pathname })
        .then(() => { started = true; resolve({ call }); }, reject);
    });
  }
  async function inPage() {
    const module = await import(WORKER.href);
    const search = module.createEngine(BUNDLE, ROOT.pathname);
    search.warm();
    let next = 0;
    return {
      async call(message) {
        try {
          return await search[message.type]({ ...message, id: ++next });
        } catch (error) {
          if (error === module.STALE) return { stale: true };
          throw error;
        }
      },
    };
  }
  async function ask(message) { return (await engine()).call(message); }

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

  function kindOf(item) { return KINDS[item.kind] ? item.kind : "page"; }
  function kindLabel(kind) { const [en, zh] = KINDS[kind]; return `${en} · ${zh}`; }

  /** Results grouped by kind, the group of the best result first, keeping the ranking inside
   * each group (each item keeps its rank in ``item.rank``). */
  function grouped(items) {
    const groups = new Map();
    for (const item of items) {
      const kind = kindOf(item);
      if (!groups.has(kind)) groups.set(kind, []);
      groups.get(kind).push(item);
    }
    return Array.from(groups.entries());
  }

  /** A result's title, kind and area, and its excerpt with the query's words marked. */
  function resultBody(el, item, terms) {
    const title = document.createElement("span");
    title.className = "kb-result-title";
    title.textContent = item.title || item.url;
    const info = document.createElement("span");
    info.className = "kb-result-meta";
    info.textContent = [item.kind, item.area].filter(Boolean).join(" · ");
    const excerpt = document.createElement("span");
    excerpt.className = "kb-result-excerpt";
    excerpt.append(snippet(item.excerpt || "", terms));
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
    let latest = 0;  // the number of the last query typed: only its results are rendered
    /** The results of ``query`` in the list, unless a newer query was typed meanwhile. */
    async function update(query, mine) {
      const stale = () => mine !== latest;
      if (!query) { close(); list.replaceChildren(); status.textContent = ""; return; }
      const answer = await ask({ type: "search", session: id, query, limit: SUGGEST_LIMIT,
                                 count: SUGGEST_LIMIT, names: true });
      if (answer.stale || stale()) return;
      const { results, total, terms, timings, initial } = answer;
      const children = [];
      options = [];
      for (const [kind, members] of grouped(results)) {
        const group = document.createElement("div");
        group.setAttribute("role", "group");
        const label = document.createElement("div");
        label.className = "kb-suggest-kind";
        label.id = `${id}-${kind}`;
        label.setAttribute("role", "presentation");
        label.textContent = kindLabel(kind);
        group.setAttribute("aria-labelledby", label.id);
        group.append(label);
        for (const item of members) {
          const option = document.createElement("a");
          option.dataset.rank = String(item.rank);
          option.id = `${id}-o${options.length}`;
          option.className = "kb-suggest-option";
          option.href = item.url;
          option.tabIndex = -1;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          resultBody(option, item, terms);
          options.push(option);
          group.append(option);
        }
        children.push(group);
      }
      more.href = `${form.getAttribute("action")}?q=${encodeURIComponent(query)}`;
      if (initial) {  // one letter: the pages named with a word it starts (the worker's "names")
        more.textContent = (total ? `${total} named with “${query}…”` : `No name starts with “${query}”`)
          + ` · all pages with “${query}” (Enter)`;
      } else {
        more.textContent = total ? `All ${total} results for “${query}” (Enter)` : `No page matches “${query}”`;
      }
      list.replaceChildren(...children);
      box.hidden = false;
      list.dataset.query = query;
      // for the benchmark and the tests: when the results of which query were rendered
      document.dispatchEvent(new CustomEvent("kb-search-rendered",
        { detail: { query, total, time: performance.now(), timings, initial } }));
      input.setAttribute("aria-expanded", "true");
      status.textContent = !total ? (initial ? "No name starts with this letter" : "No results")
        : `${total} ${initial ? "pages named with this letter" : "results"}; arrow keys to choose`;
      activate(-1);
    }
    // Every key asks the worker at once; a query it has not finished when a newer one comes
    // stops there (keys typed during one search cost one more search, not one each), and its
    // answer, if any, is not rendered.
    input.addEventListener("input", () => { update(input.value.trim(), ++latest); });
    input.addEventListener("focus", () => { engine(); });
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
    const first = await ask({ type: "search", session: "page", query, limit: PAGE_LIMIT,
                              count: PAGE_LIMIT });
    const { total, terms } = first;
    let shown = 0;
    const sections = new Map();
    /** The next results in their groups (the first batch came with the search). */
    async function more(batch) {
      const items = batch || (await ask({ type: "more", session: "page", from: shown,
                                          count: PAGE_LIMIT })).results;
      shown += items.length;
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
        for (const item of members) {
          const li = document.createElement("li");
          li.dataset.rank = String(item.rank);
          const link = document.createElement("a");
          link.href = item.url;
          resultBody(link, item, terms);
          li.append(link);
          list.append(li);
        }
      }
      moreButton.hidden = shown >= total;
    }
    const moreButton = document.createElement("button");
    moreButton.type = "button";
    moreButton.className = "btn btn-sm kb-results-more";
    moreButton.textContent = "Show more results";
    moreButton.hidden = true;
    moreButton.addEventListener("click", () => { more(); });
    container.append(moreButton);
    await more(first.results);
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
