// A form, or the button that sends it, with data-confirm asks before it is sent (submitting a plan or
// scores, bulk approval, a new version of a letter). Loaded on every page by base.html.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
})();
