/* Progressive enhancement of the moderation queue: the page works without this file. */
(function () {
  "use strict";

  // « Prévenir les auteurs par e-mail » follows the reason chosen for the selection — ticked,
  // except for spam (clearing spam should not write to spammers) — until the moderator ticks
  // or unticks it themself; a polite message, in the page's language (the live region's data-
  // attributes), says when it changes on its own.
  function followReason() {
    var form = document.getElementById("selection");
    var reason = form && form.querySelector("select[name=reason]");
    var notify = form && form.querySelector("input[type=checkbox][name=notify]");
    if (!reason || !notify) {
      return;
    }
    var status = document.getElementById("notify-annonce");
    var touched = false;
    notify.addEventListener("change", function () {
      touched = true;
    });
    var follow = function () {
      var wanted = reason.value !== "spam";
      if (touched || notify.checked === wanted) {
        return;
      }
      notify.checked = wanted;
      if (status) {
        status.textContent = status.getAttribute(wanted ? "data-notified" : "data-not-notified");
      }
    };
    reason.addEventListener("change", follow);
    follow();
  }

  document.addEventListener("DOMContentLoaded", followReason);
})();
