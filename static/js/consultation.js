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
    addSelectAll();
  });
})();
