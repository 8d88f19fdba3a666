/*
 * Keep what a user types in a form marked `data-draft` until the server has saved it.
 *
 * Typed values are copied to sessionStorage (this tab only, gone when it closes). On submit
 * the draft is kept as "pending"; it is dropped once a page confirms a save (a success
 * message), and restored if the same form comes back empty instead, for instance after
 * the session timed out and the user logged in again.
 */
(function () {
  "use strict";
  var PREFIX = "fk-draft:";

  function keyFor(form) {
    return PREFIX + (form.getAttribute("data-draft") || window.location.pathname);
  }

  function collect(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      // The version field goes along, so a restored edit still meets the conflict check.
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "password" || el.type === "submit") return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else {
        data[el.name] = [el.value];
      }
    });
    return data;
  }

  function isEmpty(form) {
    return Array.prototype.every.call(form.elements, function (el) {
      if (el.tagName === "TEXTAREA") return el.value.trim() === "";
      return true;
    });
  }

  function restore(form, data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data) || el.name === "csrfmiddlewaretoken" || el.type === "password") return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = data[el.name].indexOf(el.value) !== -1;
      } else {
        el.value = data[el.name][0];
      }
    });
  }

  var saved = document.querySelector(".alert-success");
  if (saved) {
    Object.keys(window.sessionStorage).forEach(function (key) {
      if (key.indexOf(PREFIX) === 0) {
        try {
          if (JSON.parse(window.sessionStorage.getItem(key)).pending) window.sessionStorage.removeItem(key);
        } catch (e) {
          window.sessionStorage.removeItem(key);
        }
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    var key = keyFor(form);
    var stored = null;
    try {
      stored = JSON.parse(window.sessionStorage.getItem(key) || "null");
    } catch (e) {
      stored = null;
    }
    // A sent but unconfirmed draft comes back over what the server shows; one that was
    // only typed comes back into an empty form. Never over a page with errors: those show
    // the user's own input already (and a conflict page carries the newer version).
    var pageHasErrors = form.querySelector(".is-invalid") || document.querySelector(".alert-danger");
    if (stored && !pageHasErrors && (stored.pending || isEmpty(form))) {
      restore(form, stored.data);
      var note = form.querySelector("[data-draft-note]");
      if (!note && document.body.getAttribute("data-draft-restored")) {
        note = document.createElement("p");
        note.className = "alert alert-info";
        note.setAttribute("role", "status");
        note.textContent = document.body.getAttribute("data-draft-restored");
        form.insertBefore(note, form.firstChild);
      }
      if (note) note.hidden = false;
    }
    form.addEventListener("input", function () {
      window.sessionStorage.setItem(key, JSON.stringify({ data: collect(form), pending: false }));
    });
    form.addEventListener("submit", function () {
      window.sessionStorage.setItem(key, JSON.stringify({ data: collect(form), pending: true }));
    });
  });
})();
