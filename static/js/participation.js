/* Progressive enhancement of the actions on a contribution's card: every form and link works
   without this file. Requests sent from here carry `X-Requested-With: fetch`, and the server
   answers them with a fragment rendered by the same partials as its pages (the updated card,
   or the form sent back with its errors).
   - Forms marked data-card-form (vote, change or withdraw one's vote) and data-card-reply (the
     reply form a card holds): the card that comes back replaces this one (a new reply is put
     under it); focus moves to the card's confirmation, which a live region also announces. A
     reply refused comes back with its error beside the field and what was typed.
   - Links marked data-inplace (edit, withdraw, report): the form or the confirmation they lead
     to opens in the card instead; sent, it gives the updated card (or « Vous avez signalé cette
     contribution »), or comes back with its errors.
   - The reply form of a contribution's page (data-section-form) refreshes the replies from the
     page the server answers.
   Anything unexpected sends the form, or follows the link, the ordinary way. */
(function () {
  "use strict";

  var HEADERS = { Accept: "text/html", "X-Requested-With": "fetch" };

  function supported() {
    return !!(window.fetch && window.DOMParser && window.FormData && Element.prototype.closest);
  }

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

  function announce(text) {
    liveRegion().textContent = (text || "").replace(/\s+/g, " ").trim();
  }

  function submitNormally(form) {
    HTMLFormElement.prototype.submit.call(form);
  }

  function disable(form) {
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) {
      button.disabled = true;
    });
  }

  // Send `form` (or GET `url` when there is no form) in place; resolves to the parsed answer.
  function ask(url, form) {
    var options = { credentials: "same-origin", headers: HEADERS };
    if (form) {
      var data = new FormData(form);
      if (!data.get("retour")) {
        data.set("retour", window.location.pathname + window.location.search);
      }
      options.method = "POST";
      options.body = data;
    }
    return fetch(url, options).then(function (response) {
      return response.text().then(function (html) {
        return {
          ok: response.ok,
          page: new DOMParser().parseFromString(html, "text/html")
        };
      });
    });
  }

  // Put the card of `page` in place of `card`; focus and announce its confirmation.
  function replaceCard(card, page) {
    var fresh = page.getElementById(card.id);
    if (!fresh) {
      return null;
    }
    fresh = document.importNode(fresh, true);
    card.parentNode.replaceChild(fresh, card);
    var notice = fresh.querySelector(".contribution__notice");
    if (notice) {
      announce(notice.textContent);
      notice.focus();
    }
    return fresh;
  }

  // Focus the first field in error of `root` (or its alert) and announce the errors.
  function showErrors(root) {
    var messages = root.querySelectorAll(".fr-error-text, .fr-alert--error");
    announce(Array.prototype.map.call(messages, function (m) { return m.textContent; }).join(" "));
    var target = root.querySelector(
      "[aria-invalid=true], .fr-fieldset--error input, .fr-alert--error"
    );
    if (target) {
      if (!target.matches("input, textarea, select")) {
        target.tabIndex = -1;
      }
      target.focus();
    }
  }

  function sendCardForm(form, card) {
    disable(form);
    ask(form.action, form).then(function (answer) {
      if (!replaceCard(card, answer.page)) {
        throw new Error("card not found");
      }
    }).catch(function () {
      submitNormally(form);
    });
  }

  function sendReply(form, card) {
    disable(form);
    ask(form.action, form).then(function (answer) {
      var fresh = replaceCard(card, answer.page);
      if (fresh) {
        var replies = answer.page.getElementById(card.id + "-nouvelles-reponses");
        if (replies) {
          var shown = document.getElementById(replies.id);
          if (shown) {
            Array.prototype.forEach.call(replies.children, function (reply) {
              shown.appendChild(document.importNode(reply, true));
            });
          } else {
            fresh.parentNode.insertBefore(document.importNode(replies, true), fresh.nextSibling);
          }
        }
        return;
      }
      var sent = answer.page.querySelector("details.contribution__reply");
      var details = form.closest("details");
      if (!sent || !details) {
        throw new Error("reply form not found");
      }
      sent = document.importNode(sent, true);
      details.parentNode.replaceChild(sent, details);
      showErrors(sent);
    }).catch(function () {
      submitNormally(form);
    });
  }

  function linkOf(panel) {
    return document.querySelector('a[data-inplace][aria-controls="' + panel.id + '"]');
  }

  function closePanel(panel) {
    var link = linkOf(panel);
    panel.parentNode.removeChild(panel);
    if (link) {
      link.setAttribute("aria-expanded", "false");
      link.focus();
    }
  }

  function openPanel(link, card) {
    var shown = link.getAttribute("aria-controls");
    shown = shown && document.getElementById(shown);
    if (shown && card.contains(shown)) {
      shown.querySelector("[tabindex='-1']").focus();
      return;
    }
    ask(link.href).then(function (answer) {
      var panel = answer.page.querySelector("[data-inplace-panel]");
      var links = link.closest(".contribution__links");
      if (!panel || !links) {
        throw new Error("panel not found");
      }
      panel = document.importNode(panel, true);
      links.parentNode.insertBefore(panel, links.nextSibling);
      link.setAttribute("aria-controls", panel.id);
      link.setAttribute("aria-expanded", "true");
      var heading = panel.querySelector("[tabindex='-1']");
      announce(heading ? heading.textContent : "");
      if (heading) {
        heading.focus();
      }
    }).catch(function () {
      window.location.href = link.href;
    });
  }

  function sendPanel(form, panel, card) {
    disable(form);
    ask(form.action, form).then(function (answer) {
      if (replaceCard(card, answer.page)) {
        return;
      }
      var fresh = answer.page.querySelector("[data-inplace-panel]");
      if (!fresh) {
        throw new Error("panel not found");
      }
      fresh = document.importNode(fresh, true);
      var link = linkOf(panel);
      panel.parentNode.replaceChild(fresh, panel);
      if (fresh.hasAttribute("data-inplace-done")) {
        // Reported: the link gives way to the message, as the page shows it from now on.
        var item = link && link.closest("li");
        if (item) {
          item.parentNode.removeChild(item);
        }
        announce(fresh.textContent);
        fresh.focus();
        return;
      }
      showErrors(fresh);
    }).catch(function () {
      submitNormally(form);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !supported() || !(form instanceof HTMLFormElement)) {
      return;
    }
    var card = form.closest("article.contribution");
    var panel = form.closest("[data-inplace-panel]");
    var sectionId = form.getAttribute("data-section-form");
    var section = sectionId && document.getElementById(sectionId);
    if (section && section.contains(form)) {
      event.preventDefault();
      sendSection(form, section);
    } else if (card && card.id && panel) {
      event.preventDefault();
      sendPanel(form, panel, card);
    } else if (card && card.id && form.hasAttribute("data-card-reply")) {
      event.preventDefault();
      sendReply(form, card);
    } else if (card && card.id && form.hasAttribute("data-card-form")) {
      event.preventDefault();
      sendCardForm(form, card);
    }
  });

  document.addEventListener("click", function (event) {
    if (!supported() || event.defaultPrevented || !(event.target instanceof Element)) {
      return;
    }
    var cancel = event.target.closest("[data-inplace-cancel]");
    var panel = cancel && cancel.closest("[data-inplace-panel]");
    if (panel) {
      event.preventDefault();
      closePanel(panel);
      return;
    }
    var link = event.target.closest("a[data-inplace]");
    var card = link && link.closest("article.contribution");
    if (card && card.id && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      openPanel(link, card);
    }
  });

  // A form refreshing a section of the page (the replies and their form): the answer (the
  // page redirected to, or the form sent back with its errors) gives the new section; the
  // page's messages are shown at its top, and the focus goes to them or to the error summary.
  function sendSection(form, section) {
    var fallback = function () {
      submitNormally(form);
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
      var summary = fresh.querySelector("#resume-erreurs");
      var target = summary || box;
      if (target) {
        announce(target.textContent);
        target.focus();
      }
    }).catch(fallback);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("article.contribution, form[data-section-form]")) {
      liveRegion();
    }
  });
})();
