/* Progressive enhancements only: every page works without this file. */
(function () {
  "use strict";

  // Bring keyboard and screen-reader focus to the error summary of a form sent back.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("resume-erreurs");
    if (summary) {
      summary.focus();
    }
  });
})();
