// Kiosk inactivity timer: counts down on screen and ends the session when it reaches zero.
// Without JavaScript the page's meta refresh and the server's own idle check do the same.
(function () {
  "use strict";
  var body = document.body;
  var limit = parseInt(body.getAttribute("data-idle-seconds"), 10) || 120;
  var endUrl = body.getAttribute("data-end-url");
  var timer = document.getElementById("kiosk-timer");
  var template = timer ? timer.textContent : "";
  var left = limit;
  function reset() { left = limit; }
  ["pointerdown", "keydown", "touchstart", "input"].forEach(function (name) {
    document.addEventListener(name, reset, { passive: true });
  });
  window.setInterval(function () {
    left -= 1;
    if (timer && left <= 30) {
      timer.textContent = template.replace(/\d+/, String(Math.max(left, 0)));
    } else if (timer) {
      timer.textContent = template;
    }
    if (left <= 0) {
      window.location.replace(endUrl);
    }
  }, 1000);
})();
