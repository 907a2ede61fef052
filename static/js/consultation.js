/* Progressive enhancements only: every page works without this file. */
(function () {
  "use strict";

  // The page's language: its numbers, its plural rule and its words, which the page gives in
  // #textes-scripts (templates/base.html) with {name} where the script puts a value.
  var language = document.documentElement.lang || "fr";
  var numberFormat = new Intl.NumberFormat(language);
  var pluralRules = new Intl.PluralRules(language);
  var texts = readTexts();

  function readTexts() {
    var node = document.getElementById("textes-scripts");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  // The text `key` with its {name} filled from `values`; a text with plural forms takes the
  // form for the number `count`.
  function text(key, values, count) {
    var message = texts[key] || "";
    if (typeof message === "object") {
      message = message[pluralRules.select(count)] || message.other || "";
    }
    return message.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  // Bring keyboard and screen-reader focus to the error summary of a form sent back.
  function focusErrorSummary() {
    var summary = document.getElementById("resume-erreurs");
    if (summary) {
      summary.focus();
    }
  }

  // Characters as the server counts them: code points (an emoji is one), a line break one.
  function textLength(value) {
    return Array.from(value).length;
  }

  // A live "N / max characters" under every textarea that has a maximum length. Fields carry
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
        var values = {
          length: numberFormat.format(length),
          max: numberFormat.format(max),
          over: numberFormat.format(length - max)
        };
        counter.textContent = text(over ? "counterOver" : "counter", values);
        counter.classList.toggle("character-counter--over", over);
        if (over !== wasOver) {
          alert.textContent = over
            ? text("over", values, length - max)
            : text("within", values);
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
      status.textContent = text(kind === "amendment" ? "amendmentChosen" : "kindChosen",
        { kind: label.trim(), paragraph: paragraph.value });
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
      var hidden = document.createElement("span");
      hidden.className = "fr-sr-only";
      hidden.textContent = text("selectAll", {});
      label.appendChild(hidden);
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
