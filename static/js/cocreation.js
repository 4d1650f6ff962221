// Co-creation pages: progressive enhancement only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Characters left in a text box: <textarea data-counter="id-of-an-element" maxlength="...">.
  document.querySelectorAll("textarea[data-counter][maxlength]").forEach((area) => {
    const counter = document.getElementById(area.dataset.counter);
    if (!counter) return;
    const max = Number(area.getAttribute("maxlength"));
    const update = () => {
      counter.textContent = `${area.value.length} / ${max}`;
    };
    area.addEventListener("input", update);
    update();
  });
  // A form came back with an error: focus its first message (it carries autofocus, which the
  // browser honours without JavaScript too; this covers browsers that do not for a non-field).
  const firstError = document.querySelector(".client-error[tabindex='-1']");
  if (firstError && document.activeElement !== firstError) firstError.focus();
  // Print the invite sheet: <button data-print>, printing at once with data-autoprint.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
    if (button.hasAttribute("data-autoprint")) window.setTimeout(() => window.print(), 300);
  });
  // Copy the invite link: <button data-copy="id-of-an-input-or-element">.
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    const label = button.textContent;
    const text = () => (source.value !== undefined ? source.value : source.textContent).trim();
    const copied = () => {
      button.textContent = button.dataset.copied || label;
      window.setTimeout(() => {
        button.textContent = label;
      }, 3000);
    };
    // Without the clipboard API (a page over plain http), select the text and copy it the old way.
    const fallback = () => {
      if (source.select) source.select();
      if (document.execCommand && document.execCommand("copy")) copied();
    };
    button.hidden = false;
    button.addEventListener("click", () => {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text()).then(copied, fallback);
      } else {
        fallback();
      }
    });
  });
  // A read-only link selects itself when focused, ready to copy by hand.
  document.querySelectorAll("input.invite-link[readonly]").forEach((input) => {
    input.addEventListener("focus", () => input.select());
  });
});
