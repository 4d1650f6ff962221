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
  // Print the invite sheet: <button data-print>.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
  // Copy the invite link: <button data-copy="id-of-an-element">.
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(source.textContent.trim()).then(() => {
        button.textContent = button.dataset.copied || button.textContent;
      });
    });
  });
});
