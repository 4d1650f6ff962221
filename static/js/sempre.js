// Progressive enhancement only: every page works without JavaScript, htmx adds inline updates.
// Deferred on most pages; a light page loads it once it is shown (static/js/after-paint.js), when
// DOMContentLoaded and load may be past: what waits for them runs at once then.
const whenParsed = (run) => {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
};
const whenLoaded = (run) => {
  if (document.readyState === "complete") run();
  else window.addEventListener("load", run);
};

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
// label and error message are read out (they are linked with aria-describedby). Unless the person
// is already in a field: on a light page this script comes once the page is shown.
whenParsed(() => {
  const invalid = document.querySelector("main [aria-invalid='true']");
  if (invalid && (!document.activeElement || document.activeElement === document.body)) invalid.focus();
});

// What a light page needs only once it is shown (the quick log, issue #15), after the load event:
// <meta name="sempre-after-load" content="manifest URL script URL script URL ...">
// sets the <link> of each rel (made when missing: a manifest named in the page would be fetched by
// the browser at its load event) and loads the scripts one after the other.
whenLoaded(() => {
  const later = document.querySelector("meta[name='sempre-after-load']");
  const words = later ? later.content.split(/\s+/).filter(Boolean) : [];
  let scripts = Promise.resolve();
  for (let i = 0; i + 1 < words.length; i += 2) {
    const [kind, url] = words.slice(i, i + 2);
    if (kind === "script") {
      scripts = scripts.then(() => new Promise((resolve) => {
        const script = document.createElement("script");
        script.src = url;
        script.onload = script.onerror = resolve;
        document.head.append(script);
      }));
    } else {
      const link = document.querySelector(`link[rel='${kind}']`) || document.head.appendChild(document.createElement("link"));
      link.rel = kind;
      link.href = url;
    }
  }
});

// A stylesheet the page carries inline for its first visit on a weak link (the quick log, issue #18):
// once the page is shown, fetch its file into the cache and say so in a cookie, so that the next
// visit links the cached file instead of downloading the styles again inside the page
// (sempre/templatetags/inline_static.py, inline_css_until_kept). <meta content="url version">.
whenLoaded(() => {
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
  whenLoaded(() => {
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
