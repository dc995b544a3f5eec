// The "select all" box of a table selects or clears every application row (screening queue, consultants).
(function () {
  "use strict";
  var all = document.getElementById("select-all");
  if (!all) { return; }
  all.addEventListener("change", function () {
    document.querySelectorAll("input[name=applications]").forEach(function (box) { box.checked = all.checked; });
  });
})();
