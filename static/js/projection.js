// Totals of the 12-month projection as the applicant types; the server recomputes them for the PDF.
(function () {
  "use strict";
  function total(kind) {
    var sum = 0;
    document.querySelectorAll("input[name^='" + kind + "_']").forEach(function (input) {
      var value = parseFloat((input.value || "").replace(",", "."));
      if (!isNaN(value)) { sum += value; }
    });
    return figure(sum);
  }
  // The shape of common.money.format_number: 4 000,00 in Ukrainian (narrow no-break space), 4,000.00 in English.
  function figure(value) {
    var english = (document.documentElement.lang || "uk").indexOf("en") === 0;
    var parts = Math.abs(value).toFixed(2).split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, english ? "," : "\u202f");
    return (value < 0 ? "-" : "") + whole + (english ? "." : ",") + parts[1];
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
