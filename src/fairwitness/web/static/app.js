// Fills each signal's evidence table on the case page (the rows take a moment to read from
// the lake). Without JavaScript the "Show the evidence rows" link opens them as a page.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.querySelector("[data-evidence-url]");
  if (!holder) { return; }
  fetch(holder.getAttribute("data-evidence-url"), { headers: { "X-Fragment": "1" }, credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
    .then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      doc.querySelectorAll("section[data-signal]").forEach(function (section) {
        var slot = holder.querySelector('.evidence-slot[data-signal="' + section.getAttribute("data-signal") + '"]');
        if (slot) { slot.replaceChildren(document.importNode(section, true)); }
      });
    })
    .catch(function () { /* the link stays: the rows can still be opened as a page */ });
});
