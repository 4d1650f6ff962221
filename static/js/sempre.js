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

// Scripts a page needs only once it is shown (the quick log's offline queue, issue #15): fetched
// after the load event, one after the other, so they never delay what the page shows first on a
// slow link. <meta name="sempre-scripts-after-load" content="url url ...">.
window.addEventListener("load", () => {
  const later = document.querySelector("meta[name='sempre-scripts-after-load']");
  if (!later) return;
  later.content.split(/\s+/).filter(Boolean).reduce(
    (previous, src) => previous.then(() => new Promise((resolve) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = script.onerror = resolve;
      document.head.appendChild(script);
    })),
    Promise.resolve(),
  );
});

// A stylesheet the page carries inline for its first visit on a weak link (the quick log, issue #18):
// once the page is shown, fetch its file into the cache and say so in a cookie, so that the next
// visit links the cached file instead of downloading the styles again inside the page
// (sempre/templatetags/inline_static.py, inline_css_until_kept). <meta content="url version">.
window.addEventListener("load", () => {
  const keep = document.querySelector("meta[name='sempre-css-to-keep']");
  if (!keep) return;
  const [url, version] = keep.content.split(/\s+/);
  fetch(url, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then(() => {
      const secure = location.protocol === "https:" ? "; Secure" : "";
      document.cookie = `sempre_css=${version}; Path=/; Max-Age=2592000; SameSite=Lax${secure}`;
    })
    .catch(() => {});
});

// The field app (docs/offline.md): the service worker keeps the quick log, the measurement form
// and the queue usable without a signal, for people who log work for an organisation.
const serviceWorkerUrl = document.body && document.body.dataset.serviceWorker;
if (serviceWorkerUrl && "serviceWorker" in navigator) {
  // After the page has loaded: its installation (the pages it keeps) never competes with the page.
  window.addEventListener("load", () => {
    navigator.serviceWorker.register(serviceWorkerUrl, { scope: "/" }).catch(() => {});
  });
}

// Logging out deletes what the site keeps on this device (Clear-Site-Data), entries waiting to be
// sent included: ask first while some wait (their count is kept by static/js/offline-queue.js).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("[data-logout]")) return;
  let waiting = 0;
  try {
    waiting = Number(localStorage.getItem("sempre-waiting") || 0);
  } catch (error) {
    waiting = 0;
  }
  if (waiting > 0 && !window.confirm(form.dataset.waitingWarning)) event.preventDefault();
});
