// The application form never loses what the applicant typed:
// - every change is autosaved to the server a moment later (valid fields are kept in the draft);
// - a copy stays in this device's storage until the server has it, and is offered back after a
//   lost connection or an expired session.
(function () {
  "use strict";
  var form = document.getElementById("step-form");
  if (!form) { return; }
  var key = form.dataset.storageKey;
  var savedAt = parseInt(form.dataset.savedAt || "0", 10);
  var status = document.getElementById("autosave-status");
  var text = status ? status.dataset : {};  // data-saved, data-offline: the page's own words
  var timer = null;

  function fieldsOf(el) {
    return Array.prototype.filter.call(el.elements, function (f) {
      return f.name && f.type !== "file" && f.type !== "submit" && f.type !== "button" &&
        f.name !== "csrfmiddlewaretoken" && f.name.indexOf("__prefix__") === -1;
    });
  }

  function snapshot() {
    var values = {};
    fieldsOf(form).forEach(function (f) {
      if (f.type === "checkbox" || f.type === "radio") {
        values[f.name + "=" + f.value] = f.checked;
      } else {
        values[f.name] = f.value;
      }
    });
    return values;
  }

  function apply(values) {
    var changed = false;
    fieldsOf(form).forEach(function (f) {
      if (f.type === "checkbox" || f.type === "radio") {
        var k = f.name + "=" + f.value;
        if (k in values && f.checked !== values[k]) { f.checked = values[k]; changed = true; }
      } else if (f.name in values && f.value !== values[f.name]) {
        f.value = values[f.name]; changed = true;
      }
    });
    return changed;
  }

  function remember() {
    try { localStorage.setItem(key, JSON.stringify({at: Date.now(), values: snapshot()})); } catch (e) { /* full or private mode */ }
  }

  function forget() { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  function restore() {
    var stored;
    try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    if (!stored || stored.at <= savedAt) { forget(); return; }
    // Rows added on this device but never saved must exist again before their values can return.
    Array.prototype.forEach.call(form.querySelectorAll("[data-add-row]"), function (button) {
      var prefix = button.dataset.addRow;
      var pattern = new RegExp("^" + prefix + "-(\\d+)-");
      var highest = -1;
      Object.keys(stored.values).forEach(function (name) {
        var match = pattern.exec(name);
        if (match) { highest = Math.max(highest, parseInt(match[1], 10)); }
      });
      var total = form.querySelector("input[name=" + prefix + "-TOTAL_FORMS]");
      while (total && parseInt(total.value, 10) <= highest) { addRow(prefix); }
    });
    if (apply(stored.values)) { document.getElementById("restore-notice").classList.remove("d-none"); }
  }

  function autosave() {
    var data = new FormData(form);
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (f) { data.delete(f.name); });
    data.set("action", "autosave");
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: data, credentials: "same-origin", headers: {"X-Requested-With": "XMLHttpRequest"}
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("application/json") === -1) {
        document.getElementById("session-notice").classList.remove("d-none");
        return null;
      }
      return response.json();
    }).then(function (body) {
      if (!body) { return; }
      savedAt = body.saved_at;
      forget();
      var needed = document.getElementById("still-needed");
      if (needed && body.missing) {
        needed.querySelector("[data-still-needed]").textContent = body.missing.join("; ");
        needed.classList.toggle("d-none", body.missing.length === 0);
      }
      status.textContent = (text.saved || "Saved") + " " + new Date(body.saved_at).toLocaleTimeString();
    }).catch(function () {
      status.textContent = text.offline || "";
    });
  }

  function changed() {
    remember();
    clearTimeout(timer);
    timer = setTimeout(autosave, 1500);
  }

  // A formset row is added from the <template id="PREFIX-template"> into #PREFIX-rows.
  function addRow(prefix) {
    var template = document.getElementById(prefix + "-template");
    var total = form.querySelector("input[name=" + prefix + "-TOTAL_FORMS]");
    if (!template || !total) { return; }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    document.getElementById(prefix + "-rows").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  }

  Array.prototype.forEach.call(form.querySelectorAll("[data-add-row]"), function (button) {
    button.addEventListener("click", function () { addRow(button.dataset.addRow); changed(); });
  });
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { clearTimeout(timer); remember(); });
  restore();
})();
