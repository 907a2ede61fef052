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

  // Characters as the server counts them: code points (an emoji is one), a line break one.
  function textLength(text) {
    return Array.from(text).length;
  }

  // A live "N / max caractères" under every textarea that has a maximum length. Fields carry
  // it as data-max-length, not maxlength, which would silently cut a pasted text: past the
  // maximum the counter says by how much, and a polite message says it once.
  function addCounters() {
    var fields = document.querySelectorAll("textarea[maxlength], textarea[data-max-length]");
    Array.prototype.forEach.call(fields, function (field) {
      var max = parseInt(
        field.getAttribute("data-max-length") || field.getAttribute("maxlength"), 10);
      var counter = document.createElement("p");
      counter.className = "fr-hint-text character-counter";
      counter.id = field.id + "-compteur";
      var alert = document.createElement("p");
      alert.className = "fr-sr-only";
      alert.setAttribute("aria-live", "polite");
      var wasOver = false;
      var update = function () {
        var length = textLength(field.value);
        var over = length > max;
        counter.textContent = numberFormat.format(length) + " / " +
          numberFormat.format(max) + " caractères" + (over
            ? " : " + numberFormat.format(length - max) +
              " de trop, raccourcissez le texte avant de l'envoyer."
            : "");
        counter.classList.toggle("character-counter--over", over);
        if (over !== wasOver) {
          alert.textContent = over
            ? "Le texte dépasse de " + numberFormat.format(length - max) +
              " caractères la limite de " + numberFormat.format(max) + "."
            : "Le texte tient dans la limite de " + numberFormat.format(max) + " caractères.";
          wasOver = over;
        }
      };
      field.insertAdjacentElement("afterend", counter);
      counter.insertAdjacentElement("afterend", alert);
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
      field.addEventListener("input", update);
      wasOver = textLength(field.value) > max;  // a text sent back too long: the form says so
      update();
    });
  }

  // The contribution form of an article page: only the chosen kind's own fields show; the
  // proposed wording follows the chosen alinéa while the person has not changed it; the links
  // beside each alinéa fill the form in place and bring the focus to it.
  function enhanceContributionForm() {
    var form = document.querySelector("form[data-contribution-form]");
    if (!form) {
      return;
    }
    var prefix = form.getAttribute("data-alinea-prefix");
    var fieldsets = form.querySelectorAll("[data-kind-fields]");
    var paragraph = form.querySelector("select[name=paragraph]");
    var wording = form.querySelector("textarea[name=proposed_text]");
    var status = document.createElement("p");
    status.id = "contribution-annonce";
    status.className = "fr-sr-only";
    status.setAttribute("aria-live", "polite");
    form.insertAdjacentElement("afterbegin", status);

    var chosenKind = function () {
      var chosen = form.querySelector("input[name=kind]:checked");
      return chosen ? chosen.value : "";
    };
    var showKind = function () {
      var kind = chosenKind();
      Array.prototype.forEach.call(fieldsets, function (fieldset) {
        fieldset.hidden = fieldset.getAttribute("data-kind-fields") !== kind;
      });
    };
    var consulted = function (number) {
      var selector = number
        ? "#" + prefix + number + " .legal-paragraph__text"
        : "[id^='" + prefix + "'] .legal-paragraph__text";
      return Array.prototype.map.call(document.querySelectorAll(selector), function (text) {
        return text.textContent;
      }).join("\n");
    };
    // Follow the alinéa, unless the person has written their own wording: never lose it.
    var previous = paragraph ? paragraph.value : "";
    var followParagraph = function () {
      if (wording && (wording.value.trim() === "" || wording.value === consulted(previous))) {
        wording.value = consulted(paragraph.value);
        wording.dispatchEvent(new Event("input"));
      }
      previous = paragraph.value;
    };

    Array.prototype.forEach.call(form.querySelectorAll("input[name=kind]"), function (radio) {
      radio.addEventListener("change", showKind);
    });
    if (paragraph) {
      paragraph.addEventListener("change", followParagraph);
    }
    showKind();

    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-contribute-type]");
      if (!link) {
        return;
      }
      var kind = link.getAttribute("data-contribute-type");
      var radio = form.querySelector("input[name=kind][value='" + kind + "']");
      if (!radio || !paragraph) {
        return;
      }
      event.preventDefault();
      radio.checked = true;
      paragraph.value = link.getAttribute("data-contribute-alinea");
      followParagraph();
      showKind();
      var label = form.querySelector("label[for='" + radio.id + "']").textContent;
      status.textContent = label + " sur l'alinéa " + paragraph.value +
        (kind === "amendment" ? " : son texte actuel est recopié dans la rédaction proposée." : ".");
      (kind === "amendment" && wording ? wording : form.querySelector("[name=body]")).focus();
    });
  }

  // In the moderation queue, one box in the header ticks every row of the page.
  function addSelectAll() {
    var tables = document.querySelectorAll("table[data-selectable]");
    Array.prototype.forEach.call(tables, function (table) {
      var name = table.getAttribute("data-selectable");
      var cell = table.querySelector("thead th");
      var boxes = table.querySelectorAll("tbody input[type=checkbox][name='" + name + "']");
      if (!cell || !boxes.length) {
        return;
      }
      var group = document.createElement("div");
      group.className = "fr-checkbox-group fr-checkbox-group--sm";
      var all = document.createElement("input");
      all.type = "checkbox";
      all.id = "tout-" + name;
      var label = document.createElement("label");
      label.className = "fr-label";
      label.htmlFor = all.id;
      label.innerHTML = '<span class="fr-sr-only">Tout sélectionner sur la page</span>';
      group.appendChild(all);
      group.appendChild(label);
      cell.textContent = "";
      cell.appendChild(group);
      all.addEventListener("change", function () {
        Array.prototype.forEach.call(boxes, function (box) {
          box.checked = all.checked;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    addCounters();
    enhanceContributionForm();
    addSelectAll();
  });
})();
