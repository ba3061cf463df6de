/* The demo page: the clickable body map and the "open chat" buttons. A click (or Enter/Space)
   on a region sends its name, and the leg if one is chosen, as the patient's message. */
(function () {
  "use strict";

  function chat() {
    return window.LegPainChat && typeof window.LegPainChat.send === "function" ? window.LegPainChat : null;
  }

  function whenReady(callback, tries) {
    var api = chat();
    if (api && document.querySelector("#chat .rw-launcher")) { callback(api); return; }
    if ((tries || 0) > 100) { return; }
    setTimeout(function () { whenReady(callback, (tries || 0) + 1); }, 100);
  }

  function chosenSide() {
    var checked = document.querySelector('input[name="side"]:checked');
    return checked ? checked.value : "";
  }

  function phrase(region, side) {
    if (side === "left" || side === "right") { return region + " on my " + side + " side"; }
    if (side === "both") { return region + " on both sides"; }
    return region;
  }

  var status = document.getElementById("bodymap-status");

  function choose(element) {
    var region = element.getAttribute("data-region");
    var text = phrase(region, chosenSide());
    var all = document.querySelectorAll(".bm-region.bm-selected");
    for (var i = 0; i < all.length; i++) { all[i].classList.remove("bm-selected"); }
    var same = document.querySelectorAll('.bm-region[data-region="' + region + '"]');
    for (var j = 0; j < same.length; j++) { same[j].classList.add("bm-selected"); }
    whenReady(function (api) {
      api.send(text);
      if (status) { status.textContent = "Sent to the chat: \u201c" + text + "\u201d"; }
    });
  }

  var caption = document.getElementById("bodymap-caption");

  function describe(event) {
    if (!caption) { return; }
    var g = event.currentTarget;
    var view = g.getAttribute("data-view");
    caption.innerHTML = "";
    var name = document.createElement("strong");
    name.textContent = g.getAttribute("data-region");
    caption.appendChild(name);
    caption.appendChild(document.createTextNode(" (" + view + " view) - click or press Enter to send it to the chat"));
  }

  var regions = document.querySelectorAll(".bm-region");
  for (var k = 0; k < regions.length; k++) {
    regions[k].addEventListener("mouseenter", describe);
    regions[k].addEventListener("focus", describe);
    regions[k].addEventListener("click", function (event) { choose(event.currentTarget); });
    regions[k].addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
        event.preventDefault();
        choose(event.currentTarget);
      }
    });
  }

  var openers = document.querySelectorAll("[data-open-chat]");
  for (var m = 0; m < openers.length; m++) {
    openers[m].addEventListener("click", function (event) {
      event.preventDefault();
      whenReady(function (api) {
        api.open();
        var tries = 0;
        (function focusLater() {
          if (api.focusInput() || tries++ > 30) { return; }
          setTimeout(focusLater, 100);
        })();
      });
    });
  }
})();
