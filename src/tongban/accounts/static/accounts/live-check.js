// Live checks of identity-document numbers while filling a form. Only a hint: the forms work
// without this script and the server checks every number again on submit.
(function () {
  "use strict";
  var ENDPOINT = "/api/v1/identifiers/validate";

  function attach(input) {
    var kindField = input.form && input.form.elements[input.dataset.identifierKind];
    if (!kindField) {
      return;
    }
    var hint = document.createElement("p");
    hint.className = "field-help live-check";
    hint.id = input.id + "_live";
    hint.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", hint);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);

    function show(text, bad) {
      hint.textContent = text;
      hint.classList.toggle("field-error", bad);
    }

    function check() {
      var value = input.value.trim();
      if (!value || !kindField.value) {
        show("", false);
        return;
      }
      fetch(ENDPOINT, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ kind: kindField.value, value: value }),
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (result) {
          if (!result) {
            show("", false);
          } else if (result.valid) {
            show(input.dataset.validText.replace("%s", result.normalized), false);
          } else {
            show(result.error, true);
          }
        })
        .catch(function () {
          show("", false);
        });
    }

    input.addEventListener("change", check);
    kindField.addEventListener("change", check);
  }

  document.querySelectorAll("input[data-identifier-kind]").forEach(attach);
})();
