// caredesk: the little JavaScript the pages need beyond htmx.
// A <dialog> filled by htmx opens itself; [data-close] buttons close the nearest dialog.
document.addEventListener("htmx:afterSwap", (e) => {
  const dialog = e.detail.target.closest("dialog");
  if (dialog && !dialog.open) dialog.showModal();
});
document.addEventListener("click", (e) => {
  const closer = e.target.closest("[data-close]");
  if (closer) closer.closest("dialog")?.close();
});
