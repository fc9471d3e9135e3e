/* labkb: filter bars for card grids and publication lists, and BibTeX copy buttons.
 * Dependency-free. Without JavaScript every card and publication is shown; the bar is built here,
 * from the data-kb-* attributes the extension writes, and its state is kept in the URL. */
(function () {
  "use strict";

  var FACETS = {
    grid: [["areas", "Area", " "], ["kind", "Kind", null], ["tags", "Tag", "|"],
           ["status", "Status", null], ["year", "Year", null]],
    pubs: [["areas", "Area", " "], ["year", "Year", null]]
  };

  function values(item, attr, sep) {
    var raw = item.getAttribute("data-kb-" + attr) || "";
    if (!raw) return [];
    return sep ? raw.split(sep).filter(Boolean) : [raw];
  }

  function label(text) {
    return text.replace(/-/g, " ").replace(/^./, function (c) { return c.toUpperCase(); });
  }

  function setup(container, n) {
    var type = container.classList.contains("kb-pubs") ? "pubs" : "grid";
    var items = Array.prototype.slice.call(
      container.querySelectorAll(type === "pubs" ? ".kb-pub" : ".kb-card-col"));
    if (items.length < 2) return;
    var prefix = "kb" + n + "-";
    var params = new URLSearchParams(window.location.search);
    var bar = document.createElement("form");
    bar.className = "kb-filter";
    bar.setAttribute("role", "search");
    bar.setAttribute("aria-label", type === "pubs" ? "Filter publications" : "Filter entries");
    bar.addEventListener("submit", function (e) { e.preventDefault(); });

    var text = document.createElement("input");
    text.type = "search";
    text.placeholder = "Filter…";
    text.setAttribute("aria-label", "Filter by text");
    text.value = params.get(prefix + "q") || "";
    bar.appendChild(text);

    var selects = [];
    FACETS[type].forEach(function (facet) {
      var seen = {};
      items.forEach(function (item) {
        values(item, facet[0], facet[2]).forEach(function (v) { seen[v] = true; });
      });
      var options = Object.keys(seen).sort();
      if (facet[0] === "year") options.reverse();
      if (options.length < 2) return;
      var select = document.createElement("select");
      select.setAttribute("aria-label", facet[1]);
      select.dataset.facet = facet[0];
      select.dataset.sep = facet[2] || "";
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "All " + facet[1].toLowerCase() + (facet[1] === "Status" ? "es" : "s");
      select.appendChild(all);
      options.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v;
        o.textContent = facet[0] === "areas" ? label(v) : v;
        select.appendChild(o);
      });
      select.value = params.get(prefix + facet[0]) || "";
      if (select.value !== (params.get(prefix + facet[0]) || "")) select.value = "";
      bar.appendChild(select);
      selects.push(select);
    });

    var count = document.createElement("output");
    count.className = "kb-filter-count";
    count.setAttribute("aria-live", "polite");
    bar.appendChild(count);

    var reset = document.createElement("button");
    reset.type = "button";
    reset.textContent = "Clear";
    reset.addEventListener("click", function () {
      text.value = "";
      selects.forEach(function (s) { s.value = ""; });
      apply();
      text.focus();
    });
    bar.appendChild(reset);

    function apply() {
      var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var hay = [item.getAttribute("data-kb-text"), item.getAttribute("data-kb-tags"),
                   item.getAttribute("data-kb-key")].join(" ").toLowerCase();
        var ok = words.every(function (w) { return hay.indexOf(w) !== -1; });
        selects.forEach(function (s) {
          if (ok && s.value) ok = values(item, s.dataset.facet, s.dataset.sep).indexOf(s.value) !== -1;
        });
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      Array.prototype.forEach.call(container.querySelectorAll(".kb-pub-year"), function (group) {
        group.hidden = !group.querySelector(".kb-pub:not([hidden])");
      });
      count.textContent = shown + " of " + items.length + " shown";
      var url = new URLSearchParams(window.location.search);
      url.set(prefix + "q", text.value);
      selects.forEach(function (s) { url.set(prefix + s.dataset.facet, s.value); });
      Array.from(url.keys()).forEach(function (k) { if (!url.get(k)) url.delete(k); });
      var query = url.toString();
      history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") +
                           window.location.hash);
    }

    text.addEventListener("input", apply);
    selects.forEach(function (s) { s.addEventListener("change", apply); });
    container.parentNode.insertBefore(bar, container);
    apply();
  }

  // the Graph page: check boxes hide node types in the drawing and their tables
  function setupGraphFilters(fieldset) {
    fieldset.hidden = false;
    fieldset.addEventListener("change", function (event) {
      var box = event.target;
      var type = box.getAttribute("data-kb-graph-filter");
      if (!type) return;
      document.querySelectorAll('.kb-graph-whole [data-kb-type="' + type + '"]').forEach(
        function (node) { node.style.display = box.checked ? "" : "none"; });
      var table = document.getElementById("graph-type-" + type);
      if (table) table.hidden = !box.checked;
    });
  }

  function init() {
    var containers = document.querySelectorAll(".kb-grid, .kb-pubs");
    Array.prototype.forEach.call(containers, setup);
    document.querySelectorAll(".kb-graph-filters").forEach(setupGraphFilters);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.kb-copy");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-kb-copy"));
    if (!target || !navigator.clipboard) return;
    navigator.clipboard.writeText(target.innerText.trim()).then(function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
