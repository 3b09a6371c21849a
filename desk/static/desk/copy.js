// "Copy" buttons: put the plain text of the element named by data-copy on the clipboard.
// No inline script anywhere (the Content-Security-Policy forbids it): this file is the only place.
(function () {
  "use strict";

  function fallbackCopy(field) {
    field.closest("details") && (field.closest("details").open = true);
    field.focus();
    field.select();
    return document.execCommand("copy");
  }

  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    var text = field.value !== undefined ? field.value : field.textContent;
    var done = function () {
      var note = button.parentNode.querySelector(".copied");
      if (note) note.hidden = false;
      button.classList.add("done");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { if (fallbackCopy(field)) done(); });
    } else if (fallbackCopy(field)) {
      done();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (button) copy(button);
  });
})();
