// Accelerator: progressive enhancement only. The ranking toggle posts with htmx (hx-trigger on
// change); without JavaScript the form's submit button in <noscript> does the same.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target.id === "ranking") {
    event.detail.target.querySelector("table")?.setAttribute("tabindex", "-1");
  }
});
