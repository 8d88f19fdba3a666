/*
 * A live counter under every text field with a limit (`data-limit`, set by
 * cases/formbase.py instead of `maxlength`, which would cut a paste without a word).
 *
 * The counter counts characters as the server does (a line break is one), shows the
 * count against the limit, and past the limit says how many characters are too many, in
 * colour and in words. It never cuts: the server refuses an over-long text with a
 * message and shows it again whole. Its texts come from the page (data-limit-* on
 * <body>, translated there). Without JavaScript the help text still names the limit.
 * An external file: the CSP allows no inline scripts.
 */
(function () {
  "use strict";
  var body = document.body;
  var COUNT = body.getAttribute("data-limit-count") || "{count} / {limit}";
  var OVER = body.getAttribute("data-limit-over") || "{over} > {limit}";
  // Single-line fields (names, phone numbers) show the counter only near their limit.
  var SHOW_FROM = 0.8;
  var lang = document.documentElement.lang || "nl";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Number(values[key]).toLocaleString(lang);
    });
  }

  function length(value) {
    // Code points, as Python counts them (an emoji is one character, not two).
    return Array.from(value).length;
  }

  function attach(field) {
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    if (!limit || field.hasAttribute("data-limit-ready")) return null;
    field.setAttribute("data-limit-ready", "");
    var counter = document.createElement("div");
    counter.className = "form-text fk-limit";
    counter.id = (field.id || field.name) + "_limit";
    counter.setAttribute("data-limit-counter", "");
    // Screen readers hear the counter only when the text goes over (or back under) the
    // limit, not at every key.
    var announce = document.createElement("span");
    announce.className = "visually-hidden";
    announce.setAttribute("aria-live", "polite");
    var help = field.id && document.getElementById(field.id + "_helptext");
    var anchor = help && help.parentNode === field.parentNode ? help : field;
    anchor.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", announce);
    var describedBy = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + counter.id);
    var wasOver = false;

    function update() {
      var count = length(field.value);
      var over = count > limit;
      var text = over
        ? format(OVER, { over: count - limit, count: count, limit: limit })
        : format(COUNT, { count: count, limit: limit });
      counter.textContent = text;
      counter.classList.toggle("fk-limit-over", over);
      counter.hidden = field.tagName !== "TEXTAREA" && !over && count < limit * SHOW_FROM;
      if (over !== wasOver) announce.textContent = text;
      wasOver = over;
    }

    field.addEventListener("input", update);
    update();
    return update;
  }

  var updates = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-limit]"), function (field) {
    var update = attach(field);
    if (update) updates.push(update);
  });
  // drafts.js (loaded before this file) has already put a typed text back; the browser may
  // still restore values when the user comes back to the page: count again then. Not by
  // sending an input event, which drafts.js would take for typing.
  window.addEventListener("pageshow", function () {
    updates.forEach(function (update) { update(); });
  });
})();
