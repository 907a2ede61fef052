/* Progressive enhancement of the actions on a contribution's card: every form works without
   this file. The forms marked data-card-form (vote, change or withdraw one's vote) are sent
   without leaving the page: the answer is the page the server redirects to, from which the
   card is taken and put in place of this one; focus moves to the card's confirmation, which a
   live region also announces. The reply form (data-section-form) refreshes the replies the
   same way. Anything unexpected sends the form the ordinary way. */
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

  // A form refreshing a section of the page (the replies and their form): the answer (the
  // page redirected to, or the form sent back with its errors) gives the new section; the
  // page's messages are shown at its top, and the focus goes to them or to the error summary.
  function sendSection(form, section) {
    var fallback = function () {
      HTMLFormElement.prototype.submit.call(form);
    };
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "text/html" }
    }).then(function (response) {
      if (!response.ok && response.status !== 422) {
        throw new Error("HTTP " + response.status);
      }
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var fresh = page.getElementById(section.id);
      if (!fresh) {
        throw new Error("section not found");
      }
      fresh = document.importNode(fresh, true);
      var messages = page.querySelectorAll("main > .fr-container > .fr-alert");
      var box = null;
      if (messages.length) {
        box = document.createElement("div");
        box.className = "section-messages";
        box.tabIndex = -1;
        Array.prototype.forEach.call(messages, function (message) {
          box.appendChild(document.importNode(message, true));
        });
        var heading = fresh.querySelector("h2");
        fresh.insertBefore(box, heading ? heading.nextSibling : fresh.firstChild);
      }
      section.parentNode.replaceChild(fresh, section);
      enhance(fresh);
      var summary = fresh.querySelector("#resume-erreurs");
      var target = summary || box;
      if (target) {
        liveRegion().textContent = target.textContent.replace(/\s+/g, " ").trim();
        target.focus();
      }
    }).catch(fallback);
  }

  function enhance(root) {
    var sectionForms = root.querySelectorAll("form[data-section-form]");
    Array.prototype.forEach.call(sectionForms, function (form) {
      form.addEventListener("submit", function (event) {
        var section = document.getElementById(form.getAttribute("data-section-form"));
        if (!section || !section.contains(form) || !window.fetch || !window.DOMParser) {
          return;
        }
        event.preventDefault();
        sendSection(form, section);
      });
    });
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
    if (document.querySelector("form[data-card-form], form[data-section-form]")) {
      liveRegion();
      enhance(document);
    }
  });
})();
