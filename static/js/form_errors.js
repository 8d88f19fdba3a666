// Move the focus to the first error summary (templates/form_errors.html), so keyboard and
// screen-reader users start where the form needs them. An external file: the CSP allows no
// inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
