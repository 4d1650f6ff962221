// Progressive enhancement only: every page works without JavaScript, htmx adds inline updates.
document.addEventListener("htmx:afterSwap", (event) => {
  const focusTarget = event.detail.target.querySelector("[autofocus]");
  if (focusTarget) focusTarget.focus();
});

// Tell assistive technology that a region is being updated (the result count itself is an
// aria-live region that htmx updates out of band).
document.addEventListener("htmx:beforeRequest", (event) => {
  const target = event.detail.target;
  if (target) target.setAttribute("aria-busy", "true");
});
document.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail.target;
  if (target) target.removeAttribute("aria-busy");
});
document.addEventListener("htmx:responseError", (event) => {
  const target = event.detail.target;
  if (target) target.removeAttribute("aria-busy");
});

// After a form comes back with errors, put the keyboard focus on the first field in error; its
// label and error message are read out (they are linked with aria-describedby).
document.addEventListener("DOMContentLoaded", () => {
  const invalid = document.querySelector("main [aria-invalid='true']");
  if (invalid) invalid.focus();
});
