/* The synthesis editor's live preview: the page works without this file ("Prévisualiser"
   sends the form back with the preview at #apercu). With it, the preview beside the text follows
   what is typed: the text is sent, a moment after the last key, to the form's data-apercu
   address, which answers the sanitised HTML (the server's own rendering, the same as the
   public page's) and the tokens that name no contribution. */
(function () {
  "use strict";

  var DELAY = 600; // milliseconds after the last change

  function readTexts() {
    var node = document.getElementById("textes-scripts");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  function livePreview(form, texts) {
    var address = form.getAttribute("data-apercu");
    var field = form.querySelector("textarea.synthesis-editor");
    var token = form.querySelector("input[name=csrf_token]");
    var panel = document.getElementById("apercu");
    var content = document.getElementById("apercu-contenu");
    var warning = document.getElementById("apercu-avertissement");
    var status = document.getElementById("apercu-etat");
    if (!address || !field || !panel || !content) {
      return;
    }
    panel.classList.add("synthesis-preview--live");
    var timer = null;
    var sent = 0;
    var update = function () {
      var body = new FormData();
      body.append("text", field.value);
      if (token) {
        body.append("csrf_token", token.value);
      }
      var number = ++sent;
      fetch(address, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (answer) {
          if (number !== sent) {
            return; // a later change has been sent since
          }
          content.innerHTML = answer.html; // sanitised by the server (core/sanitize.py)
          if (warning) {
            warning.hidden = !answer.warning;
            warning.querySelector("p").textContent = answer.warning || "";
          }
          if (status) {
            status.textContent = texts.previewUpdated || "";
          }
        })
        .catch(function () {
          if (status && number === sent) {
            status.textContent = texts.previewFailed || "";
          }
        });
    };
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, DELAY);
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var texts = readTexts();
    var forms = document.querySelectorAll("form.synthesis-editor-form[data-apercu]");
    Array.prototype.forEach.call(forms, function (form) {
      livePreview(form, texts);
    });
  });
})();
