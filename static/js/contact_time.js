// The contact form's start time defaults to now for a contact dated today (cases.forms
// ContactForm). When the date is changed to another day, a time nobody typed is emptied,
// so an earlier visit is not logged at the time it was written down; back to today, it returns.
(function () {
  "use strict";
  document.querySelectorAll("input[type=time][data-default-date]").forEach(function (time) {
    var form = time.form;
    var date = form && form.elements.namedItem("date");
    if (!date) {
      return;
    }
    var today = time.dataset.defaultDate;
    var suggested = time.defaultValue;
    date.addEventListener("change", function () {
      if (date.value !== today && time.value === suggested) {
        time.value = "";
      } else if (date.value === today && time.value === "" && suggested) {
        time.value = suggested;
      }
    });
  });
})();
