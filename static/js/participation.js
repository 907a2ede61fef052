/* Progressive enhancement of the actions on a contribution's card: every form works without
   this file. The forms marked data-card-form (vote, change or withdraw one's vote) are sent
   without leaving the page: the answer is the page the server redirects to, from which the
   card is taken and put in place of this one; focus moves to the card's confirmation, which a
   live region also announces. Anything unexpected sends the form the ordinary way. */
(function () {
  "use strict";

  function liveRegion() {
    var region = document.getElementById("annonce-participation");
    if (!region) {
      region = document.createElement("div");
      region.id = "annonce-participation";
      region.className = "fr-sr-only";
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  function send(form, card) {
    var fallback = function () {
      HTMLFormElement.prototype.submit.call(form);
    };
    var buttons = form.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (button) {
      button.disabled = true;
    });
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "text/html" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var fresh = page.getElementById(card.id);
      if (!fresh) {
        throw new Error("card not found");
      }
      fresh = document.importNode(fresh, true);
      card.parentNode.replaceChild(fresh, card);
      enhance(fresh);
      var notice = fresh.querySelector(".contribution__notice");
      if (notice) {
        liveRegion().textContent = notice.textContent.trim();
        notice.focus();
      }
    }).catch(fallback);
  }

  function enhance(root) {
    var forms = root.querySelectorAll("form[data-card-form]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (event) {
        var card = form.closest("article.contribution");
        if (!card || !card.id || !window.fetch || !window.DOMParser || !window.FormData) {
          return;
        }
        event.preventDefault();
        send(form, card);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("form[data-card-form]")) {
      liveRegion();
      enhance(document);
    }
  });
})();
