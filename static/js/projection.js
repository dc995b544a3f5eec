// Totals of the 12-month projection as the applicant types; the server recomputes them for the PDF.
(function () {
  "use strict";
  function total(kind) {
    var sum = 0;
    document.querySelectorAll("input[name^='" + kind + "_']").forEach(function (input) {
      var value = parseFloat((input.value || "").replace(",", "."));
      if (!isNaN(value)) { sum += value; }
    });
    return sum.toLocaleString(document.documentElement.lang, {minimumFractionDigits: 2, maximumFractionDigits: 2});
  }
  function update() {
    var revenue = document.getElementById("projection-revenue-total");
    var costs = document.getElementById("projection-costs-total");
    if (revenue) { revenue.textContent = total("revenue"); }
    if (costs) { costs.textContent = total("costs"); }
  }
  document.addEventListener("input", update);
  update();
})();
