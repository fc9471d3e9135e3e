/* labkb: copy buttons of BibTeX blocks. No dependencies; the page works without it. */
(function () {
  "use strict";
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
})();
