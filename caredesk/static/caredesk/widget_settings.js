/* Settings → Chat widget: the "Copy embed code" button. */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-copy]");
    if (!button) return;
    var id = button.getAttribute("data-copy");
    var source = document.getElementById(id);
    var said = document.querySelector('[data-copied="' + id + '"]');
    function tell(text) {
      if (said) said.textContent = text;
    }
    source.select();
    var copied = navigator.clipboard
      ? navigator.clipboard.writeText(source.value)
      : Promise.reject(new Error("no clipboard"));
    copied.then(
      function () {
        tell(gettext("Copied."));
      },
      function () {
        // Selected, at least: the user copies it with the keyboard.
        tell(gettext("Press Ctrl+C (⌘C on a Mac) to copy."));
      }
    );
  });
})();
