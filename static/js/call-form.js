// Switching the track moves the cap to that track's usual amount, unless the officer changed it.
(function () {
  "use strict";
  var usual = {individual: "4000.00", community: "20000.00"};
  var track = document.getElementById("id_track"), cap = document.getElementById("id_cap");
  if (!track || !cap) { return; }
  track.addEventListener("change", function () {
    var isUsual = Object.keys(usual).some(function (k) { return Number(cap.value) === Number(usual[k]); });
    if (isUsual || !cap.value) { cap.value = usual[track.value]; }
  });
})();
