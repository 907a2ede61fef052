/* Progressive enhancements only: every page works without this file. */
(function () {
  "use strict";

  var numberFormat = new Intl.NumberFormat("fr-FR");

  // Bring keyboard and screen-reader focus to the error summary of a form sent back.
  function focusErrorSummary() {
    var summary = document.getElementById("resume-erreurs");
    if (summary) {
      summary.focus();
    }
  }

  // A live "N / max caractères" under every textarea that has a maximum length.
  function addCounters() {
    var fields = document.querySelectorAll("textarea[maxlength]");
    Array.prototype.forEach.call(fields, function (field) {
      var max = parseInt(field.getAttribute("maxlength"), 10);
      var counter = document.createElement("p");
      counter.className = "fr-hint-text character-counter";
      counter.id = field.id + "-compteur";
      counter.setAttribute("aria-live", "polite");
      var update = function () {
        counter.textContent = numberFormat.format(field.value.length) + " / " +
          numberFormat.format(max) + " caractères";
      };
      field.insertAdjacentElement("afterend", counter);
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
      field.addEventListener("input", update);
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    addCounters();
  });
})();
