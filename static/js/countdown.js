// Live countdown to each call's deadline; the server already rendered a fallback text.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "uk";
  var units = lang === "en"
    ? {d: "d", h: "h", m: "min", s: "s", left: "left"}
    : {d: "дн", h: "год", m: "хв", s: "с", left: "залишилося"};

  function render(el) {
    var left = Math.floor((new Date(el.dataset.deadline) - new Date()) / 1000);
    if (left <= 0) { el.textContent = el.dataset.closedText; return false; }
    var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
    var m = Math.floor(left % 3600 / 60), s = left % 60;
    var parts = d > 0 ? [d + " " + units.d, h + " " + units.h, m + " " + units.m]
                      : [h + " " + units.h, m + " " + units.m, s + " " + units.s];
    el.textContent = parts.join(" ") + " " + units.left;
    return true;
  }

  var clocks = Array.prototype.slice.call(document.querySelectorAll(".countdown[data-deadline]"));
  function tick() { clocks = clocks.filter(render); if (clocks.length) { setTimeout(tick, 1000); } }
  tick();
})();
