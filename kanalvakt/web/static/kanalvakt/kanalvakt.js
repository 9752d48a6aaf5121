/* Kanalvakt: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  var WORDS = {
    sv: { min: "min", h: "h", d: "d", left: "%s kvar", late: "%s sen" },
    fi: { min: "min", h: "h", d: "vrk", left: "%s jäljellä", late: "%s myöhässä" },
    en: { min: "min", h: "h", d: "d", left: "%s left", late: "%s overdue" }
  };

  function words() {
    var lang = (document.documentElement.lang || "sv").slice(0, 2);
    return WORDS[lang] || WORDS.sv;
  }

  function duration(seconds, w) {
    seconds = Math.abs(seconds);
    if (seconds < 3600) { return Math.max(1, Math.floor(seconds / 60)) + " " + w.min; }
    if (seconds < 2 * 86400) { return Math.floor(seconds / 3600) + " " + w.h; }
    return Math.floor(seconds / 86400) + " " + w.d;
  }

  /* "3 h kvar" in green, amber within the warning, red when overdue. */
  function updateTimeLeft() {
    var w = words();
    var now = Date.now();
    document.querySelectorAll("time.time-left").forEach(function (el) {
      var due = Date.parse(el.getAttribute("datetime"));
      if (isNaN(due)) { return; }
      var left = (due - now) / 1000;
      var warn = parseInt(el.getAttribute("data-warn") || "60", 10) * 60;
      var colour = left <= 0 ? "red" : (left <= warn ? "amber" : "green");
      el.textContent = (left <= 0 ? w.late : w.left).replace("%s", duration(left, w));
      el.classList.remove("badge-red", "badge-amber", "badge-green");
      el.classList.add("badge-" + colour);
    });
  }

  /* Tables become stacked rows on a phone: each cell says which column it is. */
  function labelCells(root) {
    (root || document).querySelectorAll("table").forEach(function (table) {
      var heads = Array.prototype.map.call(
        table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      if (!heads.length) { return; }
      table.classList.add("stackable");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) {
            cell.setAttribute("data-label", heads[i]);
          }
        });
      });
    });
  }

  /* Bulk actions: a checkbox that selects every row. */
  function bulk() {
    document.querySelectorAll("[data-select-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        var form = document.getElementById(box.getAttribute("data-select-all"));
        if (!form) { return; }
        document.querySelectorAll("input[name=entry][form='" + form.id + "'], #" + form.id + " input[name=entry]")
          .forEach(function (one) { one.checked = box.checked; });
      });
    });
  }

  /* Keyboard shortcuts on pages that mark rows with data-shortcut-row. */
  function typing(target) {
    var tag = (target && target.tagName) || "";
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function shortcuts() {
    var help = document.getElementById("shortcut-help");
    if (!help) { return; }
    var rows = function () { return Array.prototype.slice.call(document.querySelectorAll("[data-shortcut-row]")); };
    var current = -1;
    rows().forEach(function (row, i) { if (row.getAttribute("aria-current")) { current = i; } });

    function move(step) {
      var all = rows();
      if (!all.length) { return; }
      current = Math.min(all.length - 1, Math.max(0, current + step));
      var link = all[current].querySelector("a");
      if (link) { link.focus(); }
    }

    function click(id) {
      var el = document.getElementById(id);
      if (el) { el.focus(); if (el.tagName === "BUTTON") { el.click(); } }
    }

    /* WCAG 2.1.4: single-key shortcuts can be turned off, and stay off. */
    var STORE = "kanalvakt-shortcuts";
    var toggle = document.getElementById("shortcuts-on");
    var enabled = function () {
      try { return window.localStorage.getItem(STORE) !== "off"; } catch (e) { return true; }
    };
    if (toggle) {
      toggle.checked = enabled();
      toggle.addEventListener("change", function () {
        try { window.localStorage.setItem(STORE, toggle.checked ? "on" : "off"); } catch (e) { /* private mode */ }
      });
    }
    var opener = null;
    function openHelp() {
      opener = document.activeElement;
      help.hidden = false;
      help.querySelector("[data-close-help]").focus();
    }
    function closeHelp() {
      help.hidden = true;
      if (opener && opener.focus) { opener.focus(); }
    }
    document.querySelectorAll("[data-open-help]").forEach(function (button) {
      button.addEventListener("click", openHelp);
    });

    help.addEventListener("click", function (event) {
      if (event.target === help || event.target.hasAttribute("data-close-help")) { closeHelp(); }
    });

    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !help.hidden) { closeHelp(); return; }
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target) || !enabled()) { return; }
      var next = document.querySelector("[data-shortcut-next]");
      var prev = document.querySelector("[data-shortcut-prev]");
      if (event.key === "?") { if (help.hidden) { openHelp(); } else { closeHelp(); } }
      else if (event.key === "j") { if (rows().length) { move(1); } else if (next) { next.click(); } }
      else if (event.key === "k") { if (rows().length) { move(-1); } else if (prev) { prev.click(); } }
      else if (event.key === "r") { click("id_text"); }
      else if (event.key === "e") { click("close-no-answer"); }
      else { return; }
      event.preventDefault();
    });
  }

  /* An error summary takes focus so a screen reader hears what to fix. */
  function errorSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    updateTimeLeft();
    window.setInterval(updateTimeLeft, 30000);
    labelCells(document);
    bulk();
    shortcuts();
    errorSummary();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    updateTimeLeft();
    labelCells(event.target);
  });
})();
