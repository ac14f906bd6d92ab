// Settings → Scorecards builder: show the point rows only for the custom scale. Everything
// else (add, remove, move) is a plain submit button the server answers, so the page works
// without this script.
(function () {
  function sync(select) {
    var row = select.closest(".sb-criterion");
    if (!row) return;
    var points = row.querySelector("[data-scale-points]");
    if (points) points.classList.toggle("sb-hidden", select.value !== "custom");
  }
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select.sb-scale")) sync(e.target);
  });
})();
