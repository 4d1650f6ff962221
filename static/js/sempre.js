// Progressive enhancement only: every page works without JavaScript, htmx adds inline updates.
document.addEventListener("htmx:afterSwap", (event) => {
  const focusTarget = event.detail.target.querySelector("[autofocus]");
  if (focusTarget) focusTarget.focus();
});
