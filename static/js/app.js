// Start GOV.UK Frontend components (service navigation toggle, error summary focus, ...).
(function () {
  "use strict";
  if (window.GOVUKFrontend && document.body.classList.contains("govuk-frontend-supported")) {
    window.GOVUKFrontend.initAll();
  }
  // Pickers submit on change as a convenience; each form still has a visible button.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
    });
  });
})();
