// The few behaviours every page shares, in place of Bootstrap's 80 KB bundle (only its collapse and
// alert dismissal were used): the header menu on phones, closing a message, the labels of stacked
// table cells on phones, and moving focus to the error summary so a screen reader announces it.
(function () {
  "use strict";

  document.querySelectorAll("[data-bs-toggle=collapse]").forEach(function (button) {
    var target = document.querySelector(button.getAttribute("data-bs-target"));
    if (!target) { return; }
    button.addEventListener("click", function () {
      var open = target.classList.toggle("show");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-bs-dismiss=alert]");
    if (close) { close.closest(".alert").remove(); }
  });

  // Each cell of a .table-stack takes its column's header as data-label (CSS shows it on phones).
  document.querySelectorAll("table.table-stack").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr, tfoot tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (!cell.hasAttribute("data-label") && heads[column]) { cell.setAttribute("data-label", heads[column]); }
        column += cell.colSpan || 1;
      });
    });
  });

  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  // A link in the summary moves focus to its field, not only the view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({block: "center"}); }
  });
})();
