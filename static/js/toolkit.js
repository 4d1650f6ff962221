// Toolkit: progressive enhancement for the board and the Theory of Change editor.
// A stale version (409) or invalid input (400) comes back as the re-rendered board with a message:
// swap it in like a success, so the person sees the current content and keeps what they typed.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (status === 409 || status === 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// After a swap, put the keyboard focus where the person was working (the server names it).
document.addEventListener("tkFocus", (event) => {
  const target = document.getElementById(event.detail.id);
  if (target) {
    target.focus();
  }
});

// Escape cancels an open inline edit.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const form = event.target.closest && event.target.closest(".tk-edit-form");
  if (!form) return;
  const cancel = form.querySelector("a[hx-get]");
  if (cancel) cancel.click();
});
